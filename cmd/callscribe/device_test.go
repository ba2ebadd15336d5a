package main

import (
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/callscribe/callscribe/codec"
	"github.com/callscribe/callscribe/transcribe/engine"
)

// hardwareVulkan returns the first hardware Vulkan device this process
// sees, if any: what --device auto would choose.
func hardwareVulkan(t *testing.T) (engine.DeviceInfo, bool) {
	t.Helper()
	devs, err := engine.Devices(os.Getenv("CALLSCRIBE_GGML_BACKENDS"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range devs {
		if d.Kind == engine.DeviceVulkan && !d.Software {
			return d, true
		}
	}
	return engine.DeviceInfo{}, false
}

// TestDeviceFlag checks --device: an unknown name is refused before the
// model loads, and asking for Vulkan where there is no device fails at
// start-up with one line saying so, rather than running on the CPU.
func TestDeviceFlag(t *testing.T) {
	model := modelPath(t)
	wav := writeWAV(t, "ok.wav", 8000, codec.FormatPCM16, make([]float32, 800))
	if code, _, errs := runCLI(t, "transcribe", "--model", model, "--device", "gpu", wav); code != 1 || !strings.Contains(errs, "--device must be cpu, vulkan or auto") {
		t.Errorf("--device gpu: exit %d, %q", code, errs)
	}
	if d, ok := hardwareVulkan(t); ok {
		t.Skipf("this machine has a Vulkan GPU: %v", d)
	}
	devs, err := engine.Devices(os.Getenv("CALLSCRIBE_GGML_BACKENDS"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range devs {
		if d.Kind == engine.DeviceVulkan {
			t.Skipf("this process sees a Vulkan device: %v", d)
		}
	}
	code, _, errs := runCLI(t, "transcribe", "--model", model, "--device", "vulkan", "--log-level", "error", wav)
	if code != 1 || !strings.HasPrefix(errs, "callscribe: engine: no usable device: ") || strings.Count(strings.TrimSpace(errs), "\n") != 0 {
		t.Errorf("--device vulkan without a device: exit %d, %q", code, errs)
	}
}

// TestReadyzDevice starts the service with its defaults (--device auto)
// and reads the device it chose from /readyz: the CPU here unless the
// machine has a hardware Vulkan GPU.
func TestReadyzDevice(t *testing.T) {
	srv := serveInProcess(t, testServeConfig(t))
	resp, err := http.Get(srv.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st struct {
		Device engine.DeviceInfo `json:"device"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	want := engine.DeviceCPU
	if _, ok := hardwareVulkan(t); ok {
		want = engine.DeviceVulkan
	}
	if st.Device.Kind != want || st.Device.Name == "" || st.Device.Description == "" {
		t.Errorf("readyz device %+v, want kind %s", st.Device, want)
	}
}
