package rtpaudio

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// sink records where each write landed, at 16 kHz.
type sink struct {
	writes []write
	fail   error
	closed bool
}

type write struct{ pos, n int64 }

func (s *sink) Write(pos int64, samples []float32) error {
	s.writes = append(s.writes, write{pos, int64(len(samples))})
	return s.fail
}
func (s *sink) Finalize() error             { return nil }
func (s *sink) Close(context.Context) error { s.closed = true; return nil }

// end returns the position after the last write.
func (s *sink) end() int64 {
	if len(s.writes) == 0 {
		return 0
	}
	w := s.writes[len(s.writes)-1]
	return w.pos + w.n
}

// jumps returns the positions where a write did not continue the previous
// one.
func (s *sink) jumps() []int64 {
	var j []int64
	for i, w := range s.writes {
		if i == 0 || w.pos != s.writes[i-1].pos+s.writes[i-1].n {
			j = append(j, w.pos)
		}
	}
	return j
}

// fakeOpus stands in for the Opus decoder: a payload is its sequence
// number (one byte) and decodes to 20 ms at 48 kHz; it logs what it did.
type fakeOpus struct {
	log    []string
	closed bool
}

var errBadPayload = errors.New("bad payload")

func (d *fakeOpus) Decode(dst []float32, payload []byte) ([]float32, error) {
	if len(payload) == 0 || payload[0] == 0xFF {
		return dst, errBadPayload
	}
	d.log = append(d.log, fmt.Sprintf("D%d", payload[0]))
	return appendZeros(dst, 960), nil
}

func (d *fakeOpus) Conceal(dst []float32, n int, next []byte) ([]float32, error) {
	e := fmt.Sprintf("C%d", n)
	if len(next) > 0 {
		e += fmt.Sprintf("<%d", next[0])
	}
	d.log = append(d.log, e)
	return appendZeros(dst, n), nil
}

func (d *fakeOpus) Close() error { d.closed = true; return nil }

func (d *fakeOpus) String() string { return strings.Join(d.log, " ") }
