package wire

import "unsafe"

// unsafeStringData exposes where a string's bytes live, to tell a reused
// string from an equal copy.
func unsafeStringData(s string) *byte { return unsafe.StringData(s) }
