package codec

import "encoding/binary"

// Builders for hand-made WAV files in tests.

type chunk struct {
	id   string
	body []byte
	size int // declared size; -1 means len(body)
}

func ck(id string, body []byte) chunk { return chunk{id, body, -1} }

// buildWAV assembles a RIFF/WAVE file, padding odd chunks.
func buildWAV(chunks ...chunk) []byte {
	var body []byte
	for _, c := range chunks {
		size := c.size
		if size < 0 {
			size = len(c.body)
		}
		body = append(body, c.id...)
		body = binary.LittleEndian.AppendUint32(body, uint32(size))
		body = append(body, c.body...)
		if len(c.body)%2 == 1 {
			body = append(body, 0)
		}
	}
	out := append([]byte("RIFF"), binary.LittleEndian.AppendUint32(nil, uint32(4+len(body)))...)
	return append(append(out, "WAVE"...), body...)
}

// fmtBody is a 16-byte fmt chunk (18 with cbSize when tag is not PCM).
func fmtBody(tag, channels uint16, rate uint32, blockAlign, bits uint16) []byte {
	le := binary.LittleEndian
	b := le.AppendUint16(nil, tag)
	b = le.AppendUint16(b, channels)
	b = le.AppendUint32(b, rate)
	b = le.AppendUint32(b, rate*uint32(blockAlign))
	b = le.AppendUint16(b, blockAlign)
	b = le.AppendUint16(b, bits)
	if tag != tagPCM {
		b = le.AppendUint16(b, 0)
	}
	return b
}

// extensibleBody is a 40-byte WAVE_FORMAT_EXTENSIBLE fmt chunk whose
// subformat GUID carries subtag.
func extensibleBody(subtag, channels uint16, rate uint32, bits, validBits uint16) []byte {
	le := binary.LittleEndian
	block := channels * bits / 8
	b := fmtBody(tagExtensible, channels, rate, block, bits)[:16]
	b = le.AppendUint16(b, 22)
	b = le.AppendUint16(b, validBits)
	b = le.AppendUint32(b, 0x3) // front left, front right
	b = le.AppendUint16(b, subtag)
	return append(b, subformatSuffix...)
}

func le16(vs ...int16) []byte {
	var b []byte
	for _, v := range vs {
		b = binary.LittleEndian.AppendUint16(b, uint16(v))
	}
	return b
}
