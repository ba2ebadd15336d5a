package vulkantest

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/callscribe/callscribe/fixtures/speech"
	"github.com/callscribe/callscribe/transcribe"
	"github.com/callscribe/callscribe/transcribe/engine"
	"github.com/callscribe/callscribe/transcribe/wer"
)

// werClips are the clips both paths transcribe: the whole speech corpus,
// 492 words, the words the CPU's corpus WER is quoted on. On fewer (150
// words, no sonnets) two words that round differently on lavapipe,
// "wood cutters" and "14.55", were two points; here such a pair is under
// one. lavapipe takes about three minutes for them.
var werClips = []string{"jfk", "LJ001-0001", "LJ001-0002", "LJ001-0003", "LJ001-0004", "LJ001-0005", "LJ001-0006", "LJ001-0007", "LJ001-0008", "sonnet1", "sonnet2", "sonnet3"}

// TestVulkanMatchesCPU loads the weights once on the Vulkan device and
// transcribes real speech there through a pool, with the service's final
// settings (beam 5, sized encoder context, loops decoded again), and the
// same on the CPU. The device's word error rate must be within one point
// of the CPU's or below it: the two paths round differently, so a word
// may come out differently either way (where the CPU writes
// "woodcutters", lavapipe writes "wood cutters"), but the device must not
// cost accuracy.
func TestVulkanMatchesCPU(t *testing.T) {
	dev := vulkanDevice(t)
	cs := clips(t, werClips...)

	cpu := load(t, engine.DeviceCPU)
	vk := load(t, engine.DeviceVulkan)
	if got := vk.Device(); got.Kind != engine.DeviceVulkan || got.Name != dev.Name {
		t.Fatalf("loaded on %v, want %v", got, dev)
	}
	t.Logf("Vulkan device: %v", vk.Device())

	results := map[engine.Device]wer.Result{}
	for _, m := range []*engine.Model{cpu, vk} {
		pool, err := transcribe.NewPool(m.Factory(), transcribe.PoolConfig{Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		t0 := time.Now()
		tally, texts, took := transcribeAll(t, pool, cs, finalOptions)
		pool.Close()
		r := tally.Result()
		kind := m.Device().Kind
		results[kind] = r
		t.Logf("%s: %v over %d clips (%.1f s of audio) in %v", kind, r, tally.Clips(), seconds(cs), time.Since(t0).Round(time.Second))
		for i, c := range cs {
			t.Logf("  %s %s (%v): %q", kind, c.Name, took[i].Round(time.Millisecond), texts[i])
		}
	}
	c, v := results[engine.DeviceCPU], results[engine.DeviceVulkan]
	t.Logf("WER Vulkan %.4f, CPU %.4f: %+.1f points", v.WER, c.WER, 100*(v.WER-c.WER))
	if v.RefWords < 80 {
		t.Fatalf("only %d reference words scored", v.RefWords)
	}
	if v.WER > c.WER+0.01 {
		t.Errorf("Vulkan WER %.4f is more than one point above the CPU's %.4f", v.WER, c.WER)
	}
	if c.WER > 0.1 {
		t.Errorf("CPU WER %.3f > 0.10: the comparison means nothing", c.WER)
	}
}

// TestVulkanDecodersShareWeights runs two decoders, each with its own state
// on the device, on one copy of the weights at once: each must transcribe
// a clip exactly as a decoder alone did.
func TestVulkanDecodersShareWeights(t *testing.T) {
	vulkanDevice(t)
	c := clips(t, "LJ001-0002")[0]
	m := load(t, engine.DeviceVulkan)
	opts := transcribe.Options{Language: "en", Threads: 1, BeamSize: 1, AudioCtx: transcribe.AudioCtxAuto}
	decode := func(d *engine.Decoder) (string, error) {
		res, err := d.Decode(context.Background(), c.Samples(), opts)
		return res.Text(), err
	}
	decoders := make([]*engine.Decoder, 2)
	for i := range decoders {
		d, err := m.NewDecoder()
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		decoders[i] = d
	}
	alone, err := decode(decoders[0])
	if err != nil {
		t.Fatal(err)
	}
	if r := wer.Compute(c.Reference, alone); r.WER > 0 {
		t.Fatalf("alone: %v: %q", r, alone)
	}
	texts, errs := make([]string, 2), make([]error, 2)
	var wg sync.WaitGroup
	for i, d := range decoders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			texts[i], errs[i] = decode(d)
		}()
	}
	wg.Wait()
	for i := range decoders {
		if errs[i] != nil || texts[i] != alone {
			t.Errorf("decoder %d at once: %q, %v; alone: %q", i, texts[i], errs[i], alone)
		}
	}
}

// TestVulkanUnalignedWindow decodes a clip with an encoder window cut to
// its length, 110 frames, on the Vulkan device. On lavapipe, ggml's flash
// attention through cooperative matrices came out empty when the window
// was not a multiple of 8 frames, as whisper's full 1500-frame window is
// not: the engine turns them off for software devices, and this holds the
// device to right words at such a window at a small fraction of a full
// window's cost. At a window this tight Whisper may say the clip again
// after it (on the CPU too; the service decodes such loops again), so
// the words must begin the transcript rather than be all of it.
func TestVulkanUnalignedWindow(t *testing.T) {
	vulkanDevice(t)
	c := clips(t, "LJ001-0002")[0]
	// A little silence after the speech: at a window of exactly the
	// speech, Whisper repeats the clip on the CPU as well.
	samples := slices.Concat(c.Samples(), make([]float32, transcribe.SampleRate*3/10))
	if frames := len(samples)/320 + 1; frames%8 == 0 {
		t.Fatalf("%s has %d frames: a multiple of 8 tests nothing", c.Name, frames)
	}
	d, err := load(t, engine.DeviceVulkan).NewDecoder()
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	res, err := d.Decode(context.Background(), samples,
		transcribe.Options{Language: "en", Threads: 1, BeamSize: 1, AudioCtx: transcribe.AudioCtxExact})
	if err != nil {
		t.Fatal(err)
	}
	got, want := wer.Normalize(res.Text()), wer.Normalize(c.Reference)
	if len(got) < len(want) || !slices.Equal(got[:len(want)], want) {
		t.Errorf("%q, want it to begin with %q", res.Text(), c.Reference)
	}
}

// TestAutoDevice checks what DeviceAuto picks: a hardware Vulkan device when
// there is one, never a software one (lavapipe), else the CPU.
func TestAutoDevice(t *testing.T) {
	dev := vulkanDevice(t)
	got := load(t, engine.DeviceAuto).Device()
	switch {
	case dev.Software && got.Kind != engine.DeviceCPU:
		t.Errorf("auto chose %v with only a software Vulkan device", got)
	case !dev.Software && (got.Kind != engine.DeviceVulkan || got.Software):
		t.Errorf("auto chose %v with %v present", got, dev)
	}
	t.Logf("Vulkan device %v; auto chose %v", dev, got)
}

func seconds(cs []speech.Clip) float64 {
	var s float64
	for _, c := range cs {
		s += c.Seconds()
	}
	return s
}
