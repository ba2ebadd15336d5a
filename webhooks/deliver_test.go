package webhooks

import (
	"io"
	"strings"
	"testing"
)

// countingReader counts the bytes read from an endless stream.
type countingReader struct{ n int64 }

func (r *countingReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	r.n += int64(len(p))
	return len(p), nil
}

func TestReadLimited(t *testing.T) {
	src := &countingReader{}
	got, err := readLimited(src, 4096)
	if err != nil || len(got) != 4096 {
		t.Fatalf("readLimited = %d bytes, %v", len(got), err)
	}
	if src.n > 4096 {
		t.Errorf("consumed %d bytes of the body, limit 4096", src.n)
	}
	short, err := readLimited(io.MultiReader(strings.NewReader("ok")), 4096)
	if err != nil || string(short) != "ok" {
		t.Errorf("short body = %q, %v", short, err)
	}
}

func TestResultSuccess(t *testing.T) {
	for code, want := range map[int]bool{0: false, 199: false, 200: true, 204: true, 299: true, 301: false, 302: false, 410: false, 500: false} {
		r := result{code: code}
		if r.success() != want {
			t.Errorf("success(%d) = %v, want %v", code, !want, want)
		}
	}
}
