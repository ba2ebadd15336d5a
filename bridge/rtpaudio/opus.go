package rtpaudio

// OpusClockRate is Opus's RTP clock rate (RFC 7587): always 48 kHz,
// whatever the audio's bandwidth.
const OpusClockRate = 48000

// OpusDuration returns the audio an Opus packet carries, in 48 kHz ticks,
// read from its table of contents (RFC 6716, section 3.1): the frame size
// its configuration names times its frame count. It returns 0 for a packet
// too short or malformed to say, or over the 120 ms a packet may hold.
func OpusDuration(packet []byte) int {
	if len(packet) == 0 {
		return 0
	}
	toc := packet[0]
	config := int(toc >> 3)
	var frame int
	switch {
	case config < 12: // SILK: 10, 20, 40, 60 ms
		frame = [4]int{480, 960, 1920, 2880}[config%4]
	case config < 16: // hybrid: 10, 20 ms
		frame = [2]int{480, 960}[config%2]
	default: // CELT: 2.5, 5, 10, 20 ms
		frame = [4]int{120, 240, 480, 960}[config%4]
	}
	var frames int
	switch toc & 3 {
	case 0:
		frames = 1
	case 1, 2:
		frames = 2
	default:
		if len(packet) < 2 {
			return 0
		}
		frames = int(packet[1] & 0x3F)
	}
	if total := frame * frames; total <= 5760 {
		return total
	}
	return 0
}
