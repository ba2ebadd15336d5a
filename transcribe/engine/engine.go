// Package engine runs Whisper through whisper.cpp (libwhisper) and is the
// only package of callscribe that uses cgo. A Model holds the weights once;
// each Decoder owns a whisper_state, so N decoders transcribe concurrently on
// one set of weights (the official Go bindings share one state per context,
// which is not safe for concurrent decodes).
package engine

/*
#cgo LDFLAGS: -lwhisper -lggml -lggml-base
#include <stdlib.h>
#include <ggml-backend.h>
#include "cshim.h"
*/
import "C"

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"unsafe"

	"github.com/callscribe/callscribe/transcribe"
	"github.com/callscribe/callscribe/transcribe/ggmlconv"
)

// Config configures Load. The zero value loads with ggml's backends found
// beside libggml, flash attention off, and logs to slog.Default().
type Config struct {
	// BackendsDir is the folder holding ggml's backend modules: the CPU
	// ones (libggml-cpu-*.so) and Vulkan's (libggml-vulkan.so). Debian's
	// ggml links no backend in: ggml_backend_load_all_from_path loads the
	// best CPU variant for this CPU, and the Vulkan module, at run time.
	// Empty means the ggml/backends0 folder beside the loaded libggml,
	// then ggml's own search path.
	BackendsDir string
	// Device is where the weights load and every decoder's state lives:
	// DeviceCPU (the zero value), DeviceVulkan or DeviceAuto.
	Device Device
	// FlashAttention turns on whisper.cpp's flash attention, which is
	// whisper.cpp's default but off here. In whisper.cpp 1.9.5 its
	// decoder attends over the encoder's output padded to a multiple of
	// 256 frames with no mask, and the padding holds whatever the state's
	// earlier decodes left there. With an encoder context under the full
	// window, as partials and finals use, a decode's text then depends on
	// the worker's previous decode, which may be another call's: under
	// load, partials showed words the caller never said
	// (TestDecodeForgetsThePreviousOne). Without it the decoder attends to
	// exactly the frames encoded, and at the service's contexts (128
	// frames and up) the CPU costs the same. Turn it on only where one
	// caller's audio goes through the model, as `callscribe transcribe
	// --flash-attention` does for the load bench's cost floor.
	FlashAttention bool
	// Logger receives whisper.cpp's log lines; nil uses slog.Default().
	Logger *slog.Logger
}

// Model is a loaded Whisper model. It is safe for concurrent use; Decoders
// made from it must be closed before the Model.
type Model struct {
	ctx    *C.struct_whisper_context
	info   ggmlconv.Info
	path   string
	eot    C.int
	device DeviceInfo
	mu     sync.Mutex // guards closed and states
	// states counts live decoders, so Close can refuse while they run.
	states int
	closed bool
}

var (
	backendsOnce sync.Once
	backendsErr  error
	backendsDir  string
)

// loadBackends loads ggml's backend modules once per process. The Vulkan
// module lists its devices as it loads: VK_DRIVER_FILES and
// GGML_VK_VISIBLE_DEVICES must be set before.
func loadBackends(dir string) error {
	backendsOnce.Do(func() {
		C.cs_install_log()
		if dir == "" {
			dir = filepath.Join(C.GoString(C.cs_lib_dir()), "ggml", "backends0")
		}
		if st, err := os.Stat(dir); err == nil && st.IsDir() {
			cdir := C.CString(dir)
			C.ggml_backend_load_all_from_path(cdir)
			C.free(unsafe.Pointer(cdir))
			backendsDir = dir
		} else {
			C.ggml_backend_load_all()
			backendsDir = "(ggml default search path)"
		}
		if C.ggml_backend_dev_count() == 0 {
			backendsErr = fmt.Errorf("%w: none found in %s", ErrNoBackend, backendsDir)
		}
	})
	return backendsErr
}

// Load validates the ggml model file at path and loads it. A missing,
// truncated or wrong-format file returns an error wrapping ErrModel, never
// a crash inside whisper.cpp.
func Load(path string, opts Config) (*Model, error) {
	if opts.Logger != nil {
		setLogger(opts.Logger)
	}
	info, err := ggmlconv.ReadInfo(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %w (make model builds the default one; --model or CALLSCRIBE_MODEL names another)", ErrModel, err)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrModel, err)
	}
	dev, why, err := pickDevice(opts.Device, opts.BackendsDir)
	if err != nil {
		return nil, err
	}
	attrs := []any{"device", dev.String(), "asked", cmp.Or(opts.Device, DeviceCPU)}
	if why != "" {
		attrs = append(attrs, "why", why)
	}
	logger().Info("whisper device", attrs...)
	params := C.whisper_context_default_params()
	// whisper.cpp puts the weights on the gpu_device-th GPU-typed device
	// and gives each state a backend there, the CPU backend computing what
	// the device cannot.
	params.use_gpu = C.bool(dev.Kind == DeviceVulkan)
	if dev.Kind == DeviceVulkan {
		params.gpu_device = C.int(dev.gpuIndex)
	}
	params.flash_attn = C.bool(opts.FlashAttention)
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	ctx := C.whisper_init_from_file_with_params_no_state(cpath, params)
	if ctx == nil {
		return nil, fmt.Errorf("%w: whisper.cpp could not load %s (see its log above)", ErrModel, path)
	}
	return &Model{ctx: ctx, info: info, path: path, eot: C.whisper_token_eot(ctx), device: dev}, nil
}

// Device is the device the weights loaded on, where every decoder made
// from m keeps its state.
func (m *Model) Device() DeviceInfo { return m.device }

// Info describes the loaded model's dimensions and type.
func (m *Model) Info() ggmlconv.Info { return m.info }

// Path is the file the model was loaded from.
func (m *Model) Path() string { return m.path }

// Multilingual reports whether the model can decode languages other than
// English (and detect the language).
func (m *Model) Multilingual() bool { return C.whisper_is_multilingual(m.ctx) != 0 }

// BackendsDir is the folder the backend modules were loaded from.
func BackendsDir() string { return backendsDir }

// Close frees the weights. It fails while decoders are still open.
func (m *Model) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil
	}
	if m.states > 0 {
		return fmt.Errorf("%w: %d decoders still open", ErrInUse, m.states)
	}
	m.closed = true
	C.whisper_free(m.ctx)
	m.ctx = nil
	return nil
}

// Factory returns a DecoderFactory for a transcribe.Pool: every decoder it
// makes shares m's weights.
func (m *Model) Factory() transcribe.DecoderFactory {
	return func() (transcribe.Decoder, error) { return m.NewDecoder() }
}

// Version is the version of the linked whisper.cpp library.
func Version() string { return C.GoString(C.whisper_version()) }
