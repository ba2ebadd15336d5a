package vulkantest

import (
	"context"
	"testing"
	"time"

	"github.com/callscribe/callscribe/transcribe"
	"github.com/callscribe/callscribe/transcribe/engine"
)

// BenchmarkDevices decodes clips of real speech with the service's final
// settings on the CPU (one thread, as each pool worker runs) and on the
// Vulkan device, and reports each one's wall and CPU seconds per clip and
// the ratio of their wall times (vulkan/cpu: above 1, the device is
// slower). On lavapipe the ratio is the software renderer's cost; on a GPU
// it is the speed-up's inverse.
func BenchmarkDevices(b *testing.B) {
	vulkanDevice(b)
	decoders := map[engine.Device]*engine.Decoder{}
	for _, dev := range []engine.Device{engine.DeviceCPU, engine.DeviceVulkan} {
		d, err := load(b, dev).NewDecoder()
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { d.Close() })
		decoders[dev] = d
	}
	for _, c := range clips(b, "jfk", "LJ001-0002") {
		b.Run(c.Name, func(b *testing.B) {
			wall := map[engine.Device]float64{}
			for _, dev := range []engine.Device{engine.DeviceCPU, engine.DeviceVulkan} {
				d := decoders[dev]
				// One warm-up decode: the first compiles the device's
				// shaders and touches cold weights.
				if _, err := d.Decode(context.Background(), c.Samples(), finalOptions); err != nil {
					b.Fatal(err)
				}
				cpu0, t0 := transcribe.ProcessCPU().Seconds(), time.Now()
				for i := 0; i < b.N; i++ {
					if _, err := d.Decode(context.Background(), c.Samples(), finalOptions); err != nil {
						b.Fatal(err)
					}
				}
				wall[dev] = time.Since(t0).Seconds() / float64(b.N)
				b.ReportMetric(wall[dev], string(dev)+"-s/clip")
				b.ReportMetric((transcribe.ProcessCPU().Seconds()-cpu0)/float64(b.N), string(dev)+"-cpu-s/clip")
			}
			b.ReportMetric(wall[engine.DeviceVulkan]/wall[engine.DeviceCPU], "vulkan/cpu")
		})
	}
}
