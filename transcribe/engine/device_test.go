package engine

import (
	"errors"
	"os"
	"strings"
	"testing"
)

func TestParseDevice(t *testing.T) {
	for in, want := range map[string]Device{"cpu": DeviceCPU, " Vulkan ": DeviceVulkan, "AUTO": DeviceAuto, "": DeviceCPU} {
		if got, err := ParseDevice(in); err != nil || got != want {
			t.Errorf("ParseDevice(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"gpu", "cuda", "vulkan0"} {
		if _, err := ParseDevice(in); !errors.Is(err, ErrNoDevice) {
			t.Errorf("ParseDevice(%q): err = %v, want ErrNoDevice", in, err)
		}
	}
}

// TestDevicesListsCPU checks that the CPU backend is always listed, and
// that this test process, which points the Vulkan loader nowhere, sees no
// software Vulkan device: ggml hides them unless GGML_VK_VISIBLE_DEVICES
// names them.
func TestDevicesListsCPU(t *testing.T) {
	devs, err := Devices(os.Getenv("CALLSCRIBE_GGML_BACKENDS"))
	if err != nil {
		t.Fatal(err)
	}
	var cpu bool
	for _, d := range devs {
		t.Logf("device %v (%s, %d MB)", d, d.Kind, d.MemoryBytes>>20)
		cpu = cpu || d.Kind == DeviceCPU
		if d.Software && os.Getenv("GGML_VK_VISIBLE_DEVICES") == "" {
			t.Errorf("software device %v listed without GGML_VK_VISIBLE_DEVICES", d)
		}
	}
	if !cpu {
		t.Errorf("no CPU device in %v", devs)
	}
}

// TestLoadVulkanWithoutDevice asks for the Vulkan device on a machine that
// has none: Load must say so, not fall back to the CPU as whisper.cpp does
// when its GPU is missing.
func TestLoadVulkanWithoutDevice(t *testing.T) {
	path := testModelPath(t)
	devs, err := Devices(os.Getenv("CALLSCRIBE_GGML_BACKENDS"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range devs {
		if d.Kind == DeviceVulkan {
			t.Skipf("this machine has a Vulkan device: %v", d)
		}
	}
	m, err := Load(path, Config{BackendsDir: os.Getenv("CALLSCRIBE_GGML_BACKENDS"), Device: DeviceVulkan})
	if err == nil {
		m.Close()
		t.Fatalf("loaded on %v", m.Device())
	}
	if !errors.Is(err, ErrNoDevice) || !strings.Contains(err.Error(), "Vulkan") {
		t.Fatalf("err = %v, want ErrNoDevice naming Vulkan", err)
	}
	t.Log(err)

	m, err = Load(path, Config{BackendsDir: os.Getenv("CALLSCRIBE_GGML_BACKENDS"), Device: DeviceAuto})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if m.Device().Kind != DeviceCPU {
		t.Errorf("auto chose %v with no Vulkan device", m.Device())
	}
}
