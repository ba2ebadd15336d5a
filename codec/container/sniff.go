package container

import "encoding/binary"

// Format is an audio file or stream format, as its first bytes tell it.
type Format int

// The formats Sniff tells apart. Those after FLAC are recognised only to
// be refused by name.
const (
	Unknown Format = iota
	WAV
	Ogg
	WebM // and Matroska: both are EBML
	MP3
	FLAC
	MP4 // MP4, M4A, 3GP, QuickTime: an ftyp box
	AAC // ADTS
	AMR
	AIFF
	CAF
	ASF // WMA, WMV
)

// SniffLen is how many bytes Sniff needs to tell every format; fewer may
// leave one Unknown.
const SniffLen = 12

var names = [...]string{"unknown", "WAV", "Ogg", "WebM", "MP3", "FLAC", "MP4/M4A", "AAC", "AMR", "AIFF", "CAF", "ASF/WMA"}

// String returns the format's name, such as "WebM".
func (f Format) String() string {
	if f < 0 || int(f) >= len(names) {
		return "unknown"
	}
	return names[f]
}

// Sniff names the format b starts with, from its magic bytes.
func Sniff(b []byte) Format {
	has := func(at int, s string) bool { return len(b) >= at+len(s) && string(b[at:at+len(s)]) == s }
	switch {
	case has(0, "RIFF") && has(8, "WAVE"), has(0, "RF64") && has(8, "WAVE"):
		return WAV
	case has(0, "OggS"):
		return Ogg
	case len(b) >= 4 && binary.BigEndian.Uint32(b) == 0x1A45DFA3:
		return WebM
	case has(0, "fLaC"):
		return FLAC
	case has(0, "ID3"), mpegSync(b) && b[1]&0x06 != 0: // layer bits 00 is ADTS
		return MP3
	case mpegSync(b):
		return AAC
	case has(4, "ftyp"):
		return MP4
	case has(0, "#!AMR"):
		return AMR
	case has(0, "FORM") && (has(8, "AIFF") || has(8, "AIFC")):
		return AIFF
	case has(0, "caff"):
		return CAF
	case has(0, "\x30\x26\xB2\x75\x8E\x66\xCF\x11"):
		return ASF
	}
	return Unknown
}

// mpegSync reports whether b starts with an MPEG audio frame's 11-bit
// sync (MP3) or ADTS's 12-bit one (AAC).
func mpegSync(b []byte) bool { return len(b) >= 2 && b[0] == 0xFF && b[1]&0xE0 == 0xE0 }
