package wire

import "testing"

// BenchmarkParseMedia measures the hot path of a stream: one 20 ms media
// message (160 μ-law bytes) parsed and its payload decoded into a reused
// buffer.
func BenchmarkParseMedia(b *testing.B) {
	data := readFixture(b, "media_inbound.json")
	b.Run("ParseMessage", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := ParseMessage(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Parser+AppendPayload", func(b *testing.B) {
		var p Parser
		audio := make([]byte, 0, 160)
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			m, err := p.Parse(data)
			if err != nil {
				b.Fatal(err)
			}
			if audio, err = m.Media.AppendPayload(audio[:0]); err != nil {
				b.Fatal(err)
			}
		}
	})
}
