package ggmlconv

import (
	"fmt"
	"slices"
)

// Limits for fields whisper.cpp reads without bounds; real files are far
// below them, and garbage is caught before it sends the walk astray.
const (
	maxTokenBytes = 1024
	maxNameBytes  = 256
)

// skipFiltersAndVocab checks the mel filter and vocabulary sections and
// returns the number of stored tokens.
func skipFiltersAndVocab(c *cursor, h HParams) (int, error) {
	nMel, err := c.i32()
	if err != nil {
		return 0, err
	}
	nFFT, err := c.i32()
	if err != nil {
		return 0, err
	}
	// whisper.cpp computes 201-bin spectra and asserts the band count
	// matches n_mels; other values would crash it at the first clip.
	if nMel != h.NMels || nFFT != melFFTBins {
		return 0, fmt.Errorf("%w: mel filters are %dx%d, want %dx%d", ErrCorrupt, nMel, nFFT, h.NMels, melFFTBins)
	}
	if err := c.skip(int64(nMel) * int64(nFFT) * 4); err != nil {
		return 0, err
	}
	n, err := c.i32()
	if err != nil {
		return 0, err
	}
	if n < 0 || n > h.NVocab {
		return 0, fmt.Errorf("%w: %d vocabulary entries for n_vocab %d", ErrCorrupt, n, h.NVocab)
	}
	for i := int32(0); i < n; i++ {
		l, err := c.u32()
		if err != nil {
			return 0, err
		}
		if l > maxTokenBytes {
			return 0, fmt.Errorf("%w: token %d is %d bytes long", ErrCorrupt, i, l)
		}
		if err := c.skip(int64(l)); err != nil {
			return 0, err
		}
	}
	return int(n), nil
}

// walkTensors checks every tensor record up to the end of the file and
// returns how many there were.
func walkTensors(c *cursor, h HParams, weights ggmlType) (int, error) {
	expected := map[string]tensorSpec{}
	for _, s := range layout(h) {
		if !s.zero {
			expected[s.name] = s
		}
	}
	seen := map[string]bool{}
	for c.remaining() > 0 {
		if err := checkRecord(c, expected, seen, weights); err != nil {
			return len(seen), err
		}
	}
	if len(seen) < len(expected) {
		var missing []string
		for name := range expected {
			if !seen[name] {
				missing = append(missing, name)
			}
		}
		slices.Sort(missing)
		return len(seen), fmt.Errorf("%w: file ends after %d of %d tensors (missing %s, ...)", ErrTruncated, len(seen), len(expected), missing[0])
	}
	return len(seen), nil
}

func checkRecord(c *cursor, expected map[string]tensorSpec, seen map[string]bool, weights ggmlType) error {
	at := c.off
	var hdr [3]int32 // n_dims, name length, type
	for i := range hdr {
		v, err := c.i32()
		if err != nil {
			return err
		}
		hdr[i] = v
	}
	nDims, nameLen, typ := hdr[0], hdr[1], ggmlType(hdr[2])
	if nDims < 1 || nDims > 4 || nameLen < 1 || nameLen > maxNameBytes {
		return fmt.Errorf("%w: tensor record at offset %d has n_dims %d, name length %d", ErrCorrupt, at, nDims, nameLen)
	}
	ne := make([]int64, nDims)
	for i := range ne {
		d, err := c.i32()
		if err != nil {
			return err
		}
		ne[i] = int64(d)
	}
	b, err := c.bytes(int64(nameLen))
	if err != nil {
		return err
	}
	name := string(b)
	spec, ok := expected[name]
	if !ok {
		return fmt.Errorf("%w: unknown tensor %q at offset %d", ErrCorrupt, name, at)
	}
	if seen[name] {
		return fmt.Errorf("%w: tensor %s appears twice", ErrCorrupt, name)
	}
	seen[name] = true
	if !slices.Equal(ne, spec.ne) {
		return fmt.Errorf("%w: tensor %s has shape %v, whisper.cpp expects %v", ErrCorrupt, name, ne, spec.ne)
	}
	want := storageType(spec.class, weights)
	if typ != want {
		return fmt.Errorf("%w: tensor %s has type %s, whisper.cpp expects %s", ErrCorrupt, name, typeName(typ), ggmlTypes[want].name)
	}
	ti := ggmlTypes[want]
	if spec.ne[0]%ti.blockSize != 0 {
		return fmt.Errorf("%w: tensor %s rows of %d do not fill %s blocks", ErrCorrupt, name, spec.ne[0], ti.name)
	}
	if err := c.skip(spec.elements() / ti.blockSize * ti.blockBytes); err != nil {
		return fmt.Errorf("tensor %s: %w", name, err)
	}
	return nil
}

func typeName(t ggmlType) string {
	if ti, ok := ggmlTypes[t]; ok {
		return ti.name
	}
	return fmt.Sprintf("%d", int32(t))
}
