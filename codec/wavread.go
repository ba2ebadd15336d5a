package codec

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// unknownSize is the data chunk size that streaming writers put in a
// header they cannot go back to fix; the data then runs to the end.
const unknownSize = 0xFFFFFFFF

// ReadWAV decodes a whole RIFF/WAVE stream: PCM of 8, 16, 24 or 32 bits,
// IEEE float of 32 or 64 bits, A-law, mu-law, and WAVE_FORMAT_EXTENSIBLE
// with any of these inside. Chunks it does not need are skipped, and the
// data chunk may come before or after fmt. It reads no further than the
// end of the data chunk once fmt has been seen.
//
// The RIFF size field is ignored, since writers often get it wrong; a data
// chunk of size 0xFFFFFFFF, as streaming writers leave it, runs to the end
// of the input. Sample rates above MaxSampleRate are rejected.
//
// Errors wrap ErrNotWAV, ErrTruncated, ErrMalformed or
// ErrUnsupportedFormat, or the reader's own error. Declared sizes never
// drive a large allocation: buffers grow as bytes actually arrive.
func ReadWAV(r io.Reader) (*Audio, error) {
	var hdr [12]byte
	n, err := io.ReadFull(r, hdr[:])
	switch {
	case string(hdr[:min(n, 4)]) != "RIFF"[:min(n, 4)] || n == 12 && string(hdr[8:]) != "WAVE":
		return nil, fmt.Errorf("wav: header % X: %w", hdr[:n], ErrNotWAV)
	case n == 0 && errors.Is(err, io.EOF):
		return nil, fmt.Errorf("wav: empty input: %w", ErrNotWAV)
	case err != nil:
		return nil, fmt.Errorf("wav: RIFF header: %w", readErr(err))
	}

	var (
		format  *wavFormat
		pending []byte // data that came before fmt
		seen    bool   // a data chunk was found
	)
	for {
		var ch [8]byte
		if _, err := io.ReadFull(r, ch[:]); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("wav: chunk header: %w", readErr(err))
		}
		id, size := string(ch[:4]), int64(binary.LittleEndian.Uint32(ch[4:]))
		switch {
		case id == "fmt ":
			if format != nil {
				return nil, fmt.Errorf("wav: second fmt chunk: %w", ErrMalformed)
			}
			f, err := readFmtChunk(r, size)
			if err != nil {
				return nil, fmt.Errorf("wav: fmt chunk: %w", err)
			}
			format = &f
			if seen {
				return decodeData(bytes.NewReader(pending), int64(len(pending)), f)
			}
		case id == "data" && seen:
			return nil, fmt.Errorf("wav: second data chunk: %w", ErrMalformed)
		case id == "data" && format != nil:
			return decodeData(r, size, *format)
		case id == "data":
			seen = true
			if pending, err = readChunk(r, size); err != nil {
				return nil, fmt.Errorf("wav: data chunk before fmt: %w", err)
			}
		default:
			if _, err := io.CopyN(io.Discard, r, size); err != nil {
				return nil, fmt.Errorf("wav: %q chunk of %d bytes: %w", id, size, readErr(err))
			}
		}
		if size%2 == 1 { // chunks are padded to an even size
			if _, err := io.ReadFull(r, ch[:1]); err != nil && err != io.EOF {
				return nil, fmt.Errorf("wav: pad byte after %q: %w", id, err)
			}
		}
	}
	if format == nil {
		return nil, fmt.Errorf("wav: no fmt chunk: %w", ErrMalformed)
	}
	return nil, fmt.Errorf("wav: no data chunk: %w", ErrMalformed)
}

// readFmtChunk reads and parses a fmt chunk of the declared size.
func readFmtChunk(r io.Reader, size int64) (wavFormat, error) {
	if size < 16 || size > maxFmtSize {
		return wavFormat{}, fmt.Errorf("size %d outside 16..%d: %w", size, maxFmtSize, ErrMalformed)
	}
	b := make([]byte, size)
	if _, err := io.ReadFull(r, b); err != nil {
		return wavFormat{}, readErr(err)
	}
	return parseFmt(b)
}

// readChunk reads a chunk body of the declared size, growing its buffer
// only as bytes actually arrive. An unknown size reads to the end.
func readChunk(r io.Reader, size int64) ([]byte, error) {
	if size == unknownSize {
		return io.ReadAll(r)
	}
	b, err := io.ReadAll(io.LimitReader(r, size))
	if err == nil && int64(len(b)) < size {
		err = fmt.Errorf("%d of %d bytes: %w", len(b), size, ErrTruncated)
	}
	return b, err
}

// readErr maps the end of input in the middle of something to
// ErrTruncated and leaves other errors (the reader's own) alone.
func readErr(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return ErrTruncated
	}
	return err
}

// ReadWAVFile reads the WAV file at path. Errors name the file.
func ReadWAVFile(path string) (*Audio, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	a, err := ReadWAV(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return a, nil
}
