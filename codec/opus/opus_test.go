package opus

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/callscribe/callscribe/codec"
	"github.com/callscribe/callscribe/fixtures"
)

// frame48 is one 20 ms frame at 48 kHz, what WebRTC senders packetise.
const frame48 = 960

// speech48k returns the corpus's jfk.wav at 48 kHz.
func speech48k(tb testing.TB) []float32 {
	tb.Helper()
	dir, err := fixtures.SpeechDir()
	if err != nil {
		tb.Skip(err)
	}
	f, err := os.Open(filepath.Join(dir, "jfk.wav"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	a, err := codec.ReadWAV(f)
	if err != nil {
		tb.Fatal(err)
	}
	s, err := codec.Resample(a.Channels[0], a.SampleRate, 48000)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// encodeAll cuts s into 20 ms frames and encodes each.
func encodeAll(tb testing.TB, s []float32, cfg EncoderConfig) [][]byte {
	tb.Helper()
	enc, err := NewEncoder(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	defer enc.Close()
	var packets [][]byte
	for i := 0; i+frame48 <= len(s); i += frame48 {
		p, err := enc.Encode(nil, s[i:i+frame48])
		if err != nil {
			tb.Fatal(err)
		}
		packets = append(packets, p)
	}
	return packets
}

// bestLag returns the shift of y against x (0..maxLag) with the highest
// normalised correlation, and that correlation.
func bestLag(x, y []float32, maxLag int) (int, float64) {
	best, bestC := 0, -1.0
	for lag := 0; lag <= maxLag; lag++ {
		if c := correlation(x, y[min(lag, len(y)):]); c > bestC {
			best, bestC = lag, c
		}
	}
	return best, bestC
}

func correlation(x, y []float32) float64 {
	n := min(len(x), len(y))
	var xy, xx, yy float64
	for i := range n {
		xy += float64(x[i]) * float64(y[i])
		xx += float64(x[i]) * float64(x[i])
		yy += float64(y[i]) * float64(y[i])
	}
	if xx == 0 || yy == 0 {
		return 0
	}
	return xy / math.Sqrt(xx*yy)
}

func energy(s []float32) float64 {
	var e float64
	for _, v := range s {
		e += float64(v) * float64(v)
	}
	return e
}

// TestDecodeSpeech encodes real speech as a browser would (32 kb/s, FEC)
// and decodes it: every packet gives its 20 ms, and the decoded speech,
// once the codec's delay is taken out, follows the original closely.
func TestDecodeSpeech(t *testing.T) {
	src := speech48k(t)
	packets := encodeAll(t, src, EncoderConfig{FEC: true, LossPercent: 5})
	dec, err := NewDecoder(48000)
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	var out []float32
	for i, p := range packets {
		if n, err := PacketSamples(p, 48000); err != nil || n != frame48 {
			t.Fatalf("packet %d: PacketSamples %d, %v", i, n, err)
		}
		before := len(out)
		if out, err = dec.Decode(out, p); err != nil {
			t.Fatalf("packet %d: %v", i, err)
		}
		if len(out)-before != frame48 {
			t.Fatalf("packet %d gave %d samples", i, len(out)-before)
		}
	}
	lag, c := bestLag(src, out, 1000)
	ratio := energy(out[lag:]) / energy(src[:len(out)-lag])
	t.Logf("delay %d samples (%.1f ms), correlation %.3f, energy ratio %.2f", lag, float64(lag)/48, c, ratio)
	if c < 0.8 || ratio < 0.7 || ratio > 1.3 {
		t.Errorf("decoded speech differs: correlation %.3f, energy ratio %.2f", c, ratio)
	}
}

// TestConceal checks concealment lengths: any whole number of 2.5 ms,
// longer than one packet too, and nothing else.
func TestConceal(t *testing.T) {
	src := speech48k(t)
	packets := encodeAll(t, src[:50*frame48], EncoderConfig{})
	dec, err := NewDecoder(48000)
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	var out []float32
	for _, p := range packets[:10] {
		if out, err = dec.Decode(out[:0], p); err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range []int{120, frame48, 2 * frame48, 7 * frame48} {
		got, err := dec.Conceal(nil, n, nil)
		if err != nil || len(got) != n {
			t.Errorf("Conceal(%d): %d samples, %v", n, len(got), err)
		}
	}
	if _, err := dec.Conceal(nil, 100, nil); !errors.Is(err, ErrBadFrame) {
		t.Errorf("Conceal(100 samples): %v, want ErrBadFrame", err)
	}
	if out, err = dec.Decode(out[:0], packets[10]); err != nil || len(out) != frame48 {
		t.Errorf("decoding after concealment: %d samples, %v", len(out), err)
	}
}

// TestFECRebuildsLostFrame loses one packet of speech: concealing it with
// the next packet's in-band FEC comes closer to what was said than
// extrapolation alone.
func TestFECRebuildsLostFrame(t *testing.T) {
	src := speech48k(t)
	packets := encodeAll(t, src, EncoderConfig{FEC: true, LossPercent: 10})
	tried, worse := 0, 0
	for lost := 50; lost < len(packets)-1 && tried < 8; lost += 13 {
		if !HasFEC(packets[lost+1]) {
			continue // the encoder spent no redundancy on this frame
		}
		tried++
		errFEC := lossError(t, packets, lost, true)
		errPLC := lossError(t, packets, lost, false)
		t.Logf("frame %d: error energy %.4f with FEC, %.4f with PLC alone", lost, errFEC, errPLC)
		if errFEC >= errPLC {
			worse++
		}
	}
	if tried < 4 || worse > 1 {
		t.Errorf("FEC no better than PLC on %d of %d lost frames with FEC", worse, tried)
	}
}

// lossError decodes packets up to the one after lost, with lost concealed
// (with or without the next packet's FEC), and returns the error energy
// over the lost frame relative to a decode without loss.
func lossError(t *testing.T, packets [][]byte, lost int, fec bool) float64 {
	t.Helper()
	clean, lossy := decodeWith(t, packets[:lost+2], -1, false), decodeWith(t, packets[:lost+2], lost, fec)
	var e float64
	for i := lost * frame48; i < (lost+1)*frame48; i++ {
		d := float64(clean[i] - lossy[i])
		e += d * d
	}
	return e / (energy(clean[lost*frame48:(lost+1)*frame48]) + 1e-9)
}

// decodeWith decodes packets, concealing the one at index lost (-1: none).
func decodeWith(t *testing.T, packets [][]byte, lost int, fec bool) []float32 {
	t.Helper()
	dec, err := NewDecoder(48000)
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	var out []float32
	for i, p := range packets {
		if i == lost {
			var next []byte
			if fec {
				next = packets[i+1]
			}
			out, err = dec.Conceal(out, frame48, next)
		} else {
			out, err = dec.Decode(out, p)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestBadInput: what libopus refuses is an error wrapping a sentinel, and
// the decoder stays usable.
func TestBadInput(t *testing.T) {
	if _, err := NewDecoder(44100); !errors.Is(err, ErrBadConfig) {
		t.Errorf("NewDecoder(44100): %v", err)
	}
	if _, err := NewEncoder(EncoderConfig{LossPercent: 101}); !errors.Is(err, ErrBadConfig) {
		t.Errorf("NewEncoder(loss 101%%): %v", err)
	}
	dec, err := NewDecoder(48000)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range [][]byte{nil, {0x03}} { // empty; code 3 without its frame count
		if out, err := dec.Decode(nil, p); !errors.Is(err, ErrInvalidPacket) || len(out) != 0 {
			t.Errorf("Decode(%x): %d samples, %v", p, len(out), err)
		}
	}
	if _, err := PacketSamples([]byte{0x03}, 48000); !errors.Is(err, ErrInvalidPacket) {
		t.Errorf("PacketSamples of a bad packet: %v", err)
	}
	enc, err := NewEncoder(EncoderConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := enc.Encode(nil, make([]float32, 1000)); !errors.Is(err, ErrBadFrame) {
		t.Errorf("Encode(1000 samples): %v", err)
	}
	p, err := enc.Encode(nil, make([]float32, frame48))
	if err != nil {
		t.Fatal(err)
	}
	if out, err := dec.Decode(nil, p); err != nil || len(out) != frame48 {
		t.Errorf("decoding after bad packets: %d, %v", len(out), err)
	}
	_ = enc.Close()
	_ = dec.Close()
	_ = dec.Close()
	if _, err := dec.Decode(nil, p); !errors.Is(err, ErrClosed) {
		t.Errorf("Decode after Close: %v", err)
	}
	if _, err := enc.Encode(nil, make([]float32, frame48)); !errors.Is(err, ErrClosed) {
		t.Errorf("Encode after Close: %v", err)
	}
}

// A stereo stream keeps its channels apart: speech on the left, silence
// on the right, decoded at 16 kHz; a mono Decoder mixes them.
func TestStereo(t *testing.T) {
	src := speech48k(t)
	enc, err := NewEncoder(EncoderConfig{Channels: 2, Bitrate: 48000})
	if err != nil {
		t.Fatal(err)
	}
	defer enc.Close()
	stereo, err := NewDecoderChannels(16000, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer stereo.Close()
	mono, err := NewDecoder(16000)
	if err != nil {
		t.Fatal(err)
	}
	defer mono.Close()
	var both, mixed []float32
	pcm := make([]float32, 2*frame48)
	for at := 0; at+frame48 <= len(src); at += frame48 {
		for i, v := range src[at : at+frame48] {
			pcm[2*i], pcm[2*i+1] = v, 0
		}
		p, err := enc.Encode(nil, pcm)
		if err != nil {
			t.Fatal(err)
		}
		if both, err = stereo.Decode(both, p); err != nil {
			t.Fatal(err)
		}
		if mixed, err = mono.Decode(mixed, p); err != nil {
			t.Fatal(err)
		}
	}
	var left, right, m float64
	for i := 0; i+1 < len(both); i += 2 {
		left += float64(both[i] * both[i])
		right += float64(both[i+1] * both[i+1])
	}
	for _, v := range mixed {
		m += float64(v * v)
	}
	if stereo.Channels() != 2 || len(both) != 2*len(mixed) || left < 1000*right || m < left/8 || m > left/2 {
		t.Errorf("%d stereo samples, %d mixed; energy left %.3g right %.3g mixed %.3g", len(both), len(mixed), left, right, m)
	}
	if _, err := NewDecoderChannels(48000, 3); !errors.Is(err, ErrBadConfig) {
		t.Errorf("3 channels: %v", err)
	}
}

// BenchmarkDecode decodes 20 ms speech packets into a reused buffer.
func BenchmarkDecode(b *testing.B) {
	src := speech48k(b)
	packets := encodeAll(b, src, EncoderConfig{FEC: true})
	dec, err := NewDecoder(48000)
	if err != nil {
		b.Fatal(err)
	}
	defer dec.Close()
	out := make([]float32, 0, 8*frame48)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if out, err = dec.Decode(out[:0], packets[i%len(packets)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
