package ogg

// Ogg's page checksum: CRC-32 with the polynomial 0x04C11DB7, fed most
// significant bit first, starting from zero, with no final inversion
// (RFC 3533, section 6). hash/crc32 only does the bit-reversed form, so
// the table is built here.
var crcTable = func() (t [256]uint32) {
	for i := range t {
		r := uint32(i) << 24
		for range 8 {
			if r&0x80000000 != 0 {
				r = r<<1 ^ 0x04C11DB7
			} else {
				r <<= 1
			}
		}
		t[i] = r
	}
	return t
}()

// crcUpdate adds b to the running checksum c.
func crcUpdate(c uint32, b []byte) uint32 {
	for _, v := range b {
		c = c<<8 ^ crcTable[byte(c>>24)^v]
	}
	return c
}
