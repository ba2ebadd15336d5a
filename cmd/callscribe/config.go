package main

import (
	"flag"
	"fmt"
	"log/slog"
	"runtime"
	"strconv"
	"strings"

	"github.com/callscribe/callscribe/cmd/callscribe/internal/envflags"
	"github.com/callscribe/callscribe/transcribe"
	"github.com/callscribe/callscribe/transcribe/engine"
)

// EngineConfig is the part of the configuration every command that runs
// Whisper shares. Each field has a flag and an environment variable; the
// flag wins, then the variable, then the default.
type EngineConfig struct {
	// Model is the ggml Whisper model file (CALLSCRIBE_MODEL).
	Model string
	// BackendsDir holds ggml's backend modules (CPU and Vulkan); empty
	// finds them beside libggml (CALLSCRIBE_GGML_BACKENDS).
	BackendsDir string
	// Device is where the weights and the decoders' states live: cpu,
	// vulkan or auto (CALLSCRIBE_DEVICE). auto takes a hardware Vulkan
	// device when one works and the CPU otherwise.
	Device string
	// Workers is the number of concurrent decoders sharing the weights
	// (CALLSCRIBE_WORKERS); default one per core.
	Workers int
	// Threads is the CPU threads per decode (CALLSCRIBE_THREADS); 0, the
	// default, leaves it to the service's load policy (two for a final
	// that decodes alone on an idle pool, else one), and means one for
	// files.
	Threads int
	// Language is the decode language, "auto" to detect (CALLSCRIBE_LANGUAGE).
	Language string
	// BeamSize is the beam width for final transcripts; 1 is greedy
	// (CALLSCRIBE_BEAM_SIZE). 0, the default, leaves it to the service's
	// load policy (5 while the pool has room, greedy under load), and
	// means 5 for files.
	BeamSize int
	// AudioCtx is the encoder context: "full", "auto" (sized to each clip)
	// or a frame count (CALLSCRIBE_AUDIO_CTX).
	AudioCtx string
	// LogLevel is debug, info, warn or error (CALLSCRIBE_LOG_LEVEL).
	LogLevel string
	// level is LogLevel as Validate read it.
	level slog.Level
	// device is Device as Validate read it.
	device engine.Device
}

const defaultModel = "models/ggml-tiny.en.bin"

// defaultAudioCtx is the finals' encoder context floor: sized to the
// utterance, never below 128 frames (2.56 s). On the corpus a floor of
// 128, 256 or 512 frames scored the same WER within run-to-run noise
// (beam 5: 6.3-6.9% at 16 kHz, 12.0-12.8% through mu-law); a short
// utterance's encoder pass costs about a third of what 512 frames did,
// and a decode that loops on the small context is decoded again at the
// full window (Options.RetryLoops).
const defaultAudioCtx = "128"

// Defaults of the flags whose zero value leaves the choice to the load
// policy, where the load policy does not apply (transcribing files).
const (
	fileBeamSize = 5
	fileThreads  = 1
)

func (c *EngineConfig) register(fs *flag.FlagSet) {
	fs.StringVar(&c.Model, "model", defaultModel, "ggml Whisper model file (CALLSCRIBE_MODEL)")
	fs.StringVar(&c.BackendsDir, "ggml-backends", "", "folder of ggml backend modules (CPU, Vulkan), default beside libggml (CALLSCRIBE_GGML_BACKENDS)")
	fs.StringVar(&c.Device, "device", "auto", `where the model runs: "cpu", "vulkan" (a GPU through its Vulkan driver; fails without one) or "auto" (a hardware Vulkan GPU if one works, else the CPU) (CALLSCRIBE_DEVICE)`)
	fs.IntVar(&c.Workers, "workers", runtime.NumCPU(), "concurrent decoders sharing one copy of the weights (CALLSCRIBE_WORKERS)")
	fs.IntVar(&c.Threads, "threads", 0, "CPU threads per decode; 0: by load, 2 for a final alone on an idle pool, else 1 (CALLSCRIBE_THREADS)")
	fs.StringVar(&c.Language, "language", "en", `language code, or "auto" to detect with multilingual models (CALLSCRIBE_LANGUAGE)`)
	fs.IntVar(&c.BeamSize, "beam-size", 0, "beam width for final transcripts, 1 = greedy; 0: by load, 5 with room to spare, 1 under load (CALLSCRIBE_BEAM_SIZE)")
	fs.StringVar(&c.AudioCtx, "audio-ctx", defaultAudioCtx, `encoder context of finals in 20 ms frames: "full" (1500), "auto" (sized to the clip with a margin), "exact" (no margin) or N, sized to the clip but at least N (CALLSCRIBE_AUDIO_CTX)`)
	fs.StringVar(&c.LogLevel, "log-level", "info", "log level: debug, info, warn, error (CALLSCRIBE_LOG_LEVEL)")
}

// parseFlags parses args, then fills every flag not given on the command
// line from its environment variable (package envflags).
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	return envflags.Fill(fs)
}

// engineConfig is the engine's configuration the flags set.
func (c *EngineConfig) engineConfig(log *slog.Logger) engine.Config {
	return engine.Config{BackendsDir: c.BackendsDir, Device: c.device, Logger: log}
}

// Validate checks the values and returns the decode options they imply.
func (c *EngineConfig) Validate() (transcribe.Options, error) {
	var o transcribe.Options
	if c.Workers < 1 || c.Workers > 256 {
		return o, fmt.Errorf("--workers must be 1..256, got %d", c.Workers)
	}
	if c.Threads < 0 || c.Threads > 64 {
		return o, fmt.Errorf("--threads must be 1..64, or 0 to follow the load, got %d", c.Threads)
	}
	if c.BeamSize < 0 || c.BeamSize > 16 {
		return o, fmt.Errorf("--beam-size must be 1..16, or 0 to follow the load, got %d", c.BeamSize)
	}
	ctx, err := parseAudioCtx(c.AudioCtx)
	if err != nil {
		return o, err
	}
	if err := c.level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return o, fmt.Errorf("--log-level must be debug, info, warn or error, got %q", c.LogLevel)
	}
	if c.device, err = engine.ParseDevice(c.Device); err != nil {
		return o, fmt.Errorf("--device must be cpu, vulkan or auto, got %q", c.Device)
	}
	o = transcribe.Options{Language: c.Language, BeamSize: c.BeamSize, Threads: c.Threads, AudioCtx: ctx}
	if o.BeamSize == 0 {
		o.BeamSize = fileBeamSize
	}
	if o.Threads == 0 {
		o.Threads = fileThreads
	}
	return o, nil
}

func parseAudioCtx(s string) (int, error) {
	switch strings.ToLower(s) {
	case "", "full", "0":
		return 0, nil
	case "auto":
		return transcribe.AudioCtxAuto, nil
	case "exact":
		return transcribe.AudioCtxExact, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 64 || n > 1500 {
		return 0, fmt.Errorf(`--audio-ctx must be "full", "auto", "exact" or 64..1500 frames, got %q`, s)
	}
	return n, nil
}
