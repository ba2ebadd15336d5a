package engine

/*
#include <stdlib.h>
#include <ggml-backend.h>
#include "cshim.h"
*/
import "C"

import (
	"fmt"
	"os"
	"strings"
	"unsafe"
)

// Device says where a Model keeps its weights and its decoders their
// states.
type Device string

const (
	// DeviceCPU decodes on the CPU backend. The zero Device means CPU too.
	DeviceCPU Device = "cpu"
	// DeviceVulkan decodes on the first Vulkan device ggml lists; Load
	// fails when there is none. ggml lists software devices only when
	// GGML_VK_VISIBLE_DEVICES names them, and then they count here.
	DeviceVulkan Device = "vulkan"
	// DeviceAuto decodes on the first Vulkan device that is hardware and
	// can be initialised, else on the CPU. A software Vulkan device
	// (Mesa's lavapipe) does not count: it runs on the same cores as the
	// CPU backend and is several times slower than it.
	DeviceAuto Device = "auto"
)

// ParseDevice reads a device name as the --device flag gives it.
func ParseDevice(s string) (Device, error) {
	switch d := Device(strings.ToLower(strings.TrimSpace(s))); d {
	case DeviceCPU, DeviceVulkan, DeviceAuto:
		return d, nil
	case "":
		return DeviceCPU, nil
	}
	return "", fmt.Errorf("%w: %q (want cpu, vulkan or auto)", ErrNoDevice, s)
}

// DeviceInfo describes a compute device ggml found.
type DeviceInfo struct {
	// Kind is DeviceCPU or DeviceVulkan.
	Kind Device `json:"kind"`
	// Name is ggml's name for it: "CPU", "Vulkan0".
	Name string `json:"name"`
	// Description is the hardware: the CPU's model, or the Vulkan
	// driver's device name ("NVIDIA GeForce RTX 4070",
	// "llvmpipe (LLVM 22.1.8, 256 bits)").
	Description string `json:"description"`
	// Software marks a Vulkan device that the Vulkan driver itself
	// reports as running on the CPU (lavapipe).
	Software bool `json:"software,omitempty"`
	// MemoryBytes is the device's memory as ggml reports it.
	MemoryBytes uint64 `json:"memory_bytes,omitempty"`
	// gpuIndex is whisper_context_params.gpu_device for this device:
	// whisper.cpp counts only GPU-typed devices, in ggml's order.
	gpuIndex int
	dev      C.ggml_backend_dev_t
}

// String names the device for logs.
func (d DeviceInfo) String() string {
	s := fmt.Sprintf("%s (%s)", d.Name, d.Description)
	if d.Software {
		s += ", software"
	}
	return s
}

// Devices lists the devices ggml can compute on: its CPU backend and,
// where the Vulkan backend loaded and a driver shows devices, each Vulkan
// device. backendsDir is Config.BackendsDir; backends load once per
// process, so only the first call's folder counts.
func Devices(backendsDir string) ([]DeviceInfo, error) {
	if err := loadBackends(backendsDir); err != nil {
		return nil, err
	}
	var out []DeviceInfo
	gpus := 0
	for i := C.size_t(0); i < C.ggml_backend_dev_count(); i++ {
		dev := C.ggml_backend_dev_get(i)
		var props C.struct_ggml_backend_dev_props
		C.ggml_backend_dev_get_props(dev, &props)
		info := DeviceInfo{Name: C.GoString(props.name), Description: C.GoString(props.description),
			MemoryBytes: uint64(props.memory_total), dev: dev, gpuIndex: -1}
		typ := C.ggml_backend_dev_type(dev)
		if typ == C.GGML_BACKEND_DEVICE_TYPE_GPU || typ == C.GGML_BACKEND_DEVICE_TYPE_IGPU {
			info.gpuIndex = gpus
			gpus++
		}
		switch reg := C.GoString(C.ggml_backend_reg_name(C.ggml_backend_dev_backend_reg(dev))); {
		case typ == C.GGML_BACKEND_DEVICE_TYPE_CPU:
			info.Kind = DeviceCPU
		case reg == "Vulkan" && info.gpuIndex >= 0:
			info.Kind = DeviceVulkan
			desc := C.CString(info.Description)
			info.Software = C.cs_vk_device_type(desc) == C.CS_VK_TYPE_CPU
			C.free(unsafe.Pointer(desc))
		default:
			continue // a backend this package does not drive (BLAS, RPC)
		}
		out = append(out, info)
	}
	return out, nil
}

// usable reports whether a backend can be made on the device: whisper.cpp
// falls back to the CPU without a word when it cannot, which would leave
// every state computing on the CPU from weights in device memory.
func (d DeviceInfo) usable() bool {
	b := C.ggml_backend_dev_init(d.dev, nil)
	if b == nil {
		return false
	}
	C.ggml_backend_free(b)
	return true
}

// pickDevice resolves a requested device against what ggml found. It
// returns the chosen device and, for DeviceAuto, why it chose it.
func pickDevice(want Device, dir string) (DeviceInfo, string, error) {
	devs, err := Devices(dir)
	if err != nil {
		return DeviceInfo{}, "", err
	}
	var cpu *DeviceInfo
	var vulkan []DeviceInfo
	for i := range devs {
		switch devs[i].Kind {
		case DeviceCPU:
			if cpu == nil {
				cpu = &devs[i]
			}
		case DeviceVulkan:
			vulkan = append(vulkan, devs[i])
		}
	}
	if cpu == nil {
		return DeviceInfo{}, "", fmt.Errorf("%w: no CPU device in %s", ErrNoBackend, backendsDir)
	}
	switch want {
	case "", DeviceCPU:
		return *cpu, "", nil
	case DeviceVulkan:
		if len(vulkan) == 0 {
			return DeviceInfo{}, "", fmt.Errorf("%w: %s", ErrNoDevice, noVulkanReason())
		}
		if vulkan[0].Software {
			softwareWorkarounds()
		}
		if !vulkan[0].usable() {
			return DeviceInfo{}, "", fmt.Errorf("%w: %s could not be initialised (see the log above)", ErrNoDevice, vulkan[0])
		}
		return vulkan[0], "", nil
	case DeviceAuto:
		var skipped []string
		for _, d := range vulkan {
			switch {
			case d.Software:
				skipped = append(skipped, d.Description+" is software")
			case !d.usable():
				skipped = append(skipped, d.Description+" could not be initialised")
			default:
				return d, "the first hardware Vulkan device", nil
			}
		}
		if len(skipped) == 0 {
			return *cpu, "no Vulkan device", nil
		}
		return *cpu, "no usable Vulkan device: " + strings.Join(skipped, ", "), nil
	}
	return DeviceInfo{}, "", fmt.Errorf("%w: %q", ErrNoDevice, want)
}

// softwareWorkarounds sets what a software Vulkan device needs before
// ggml initialises it. lavapipe advertises cooperative matrices, and ggml's
// flash attention through them comes out wrong when the keys are not a
// multiple of the shader's tile: with whisper's full 1500-frame encoder
// window, every transcript was empty, while 1472 frames were right
// (lavapipe 26.2, ggml 0.27). Without cooperative matrices the results
// match the CPU's and lavapipe is no slower. An operator's own setting of
// the variable wins.
func softwareWorkarounds() {
	if _, set := os.LookupEnv("GGML_VK_DISABLE_COOPMAT"); !set {
		_ = os.Setenv("GGML_VK_DISABLE_COOPMAT", "1")
	}
}

// noVulkanReason explains an empty Vulkan device list as far as ggml lets
// us see: whether its Vulkan module registered at all.
func noVulkanReason() string {
	name := C.CString("Vulkan")
	defer C.free(unsafe.Pointer(name))
	if C.ggml_backend_reg_by_name(name) == nil {
		return fmt.Sprintf("ggml's Vulkan backend did not load from %s: libggml-vulkan.so is missing there, "+
			"or the Vulkan loader found no driver (install the GPU's Vulkan driver; in a container, expose "+
			"its device nodes and ICD file; VK_LOADER_DEBUG=error says why one did not load)", backendsDir)
	}
	return "the Vulkan drivers show no GPU (software devices such as lavapipe are hidden unless " +
		"GGML_VK_VISIBLE_DEVICES names them)"
}
