package ggmlconv

import (
	"fmt"
	"regexp"
	"strconv"
)

// Layer variables are named encoder/layer_<n>/...; the digits matter
// because encoder/layer_norm shares the prefix.
var layerRE = regexp.MustCompile(`^(encoder|decoder)/layer_(\d+)/`)

// ct2HParams reads the model's dimensions from the shapes of its variables
// and the head counts from its scalars, so any Whisper size converts.
func ct2HParams(m *ct2Model) (HParams, error) {
	var h HParams
	dims := func(name string, rank int) ([]int64, error) {
		v, err := m.lookup(name)
		if err != nil {
			return nil, err
		}
		if len(v.dims) != rank {
			return nil, fmt.Errorf("%w: %s has shape %v, want rank %d", ErrBadSource, name, v.dims, rank)
		}
		return v.dims, nil
	}
	conv, err := dims("encoder/conv1/weight", 3) // (state, mels, kernel 3)
	if err != nil {
		return h, err
	}
	epos, err := dims("encoder/position_encodings/encodings", 2) // (ctx, state)
	if err != nil {
		return h, err
	}
	emb, err := dims("decoder/embeddings/weight", 2) // (vocab, state)
	if err != nil {
		return h, err
	}
	dpos, err := dims("decoder/position_encodings/encodings", 2) // (ctx, state)
	if err != nil {
		return h, err
	}
	aHeads, err := m.scalarInt("encoder/num_heads")
	if err != nil {
		return h, err
	}
	tHeads, err := m.scalarInt("decoder/num_heads")
	if err != nil {
		return h, err
	}
	aLayers, tLayers, err := countLayers(m)
	if err != nil {
		return h, err
	}
	vals := []int64{emb[0], epos[0], conv[0], aHeads, aLayers, dpos[0], emb[1], tHeads, tLayers, conv[1]}
	for _, v := range vals {
		if v <= 0 || v > 1<<24 {
			return h, fmt.Errorf("%w: implausible dimension %d", ErrBadSource, v)
		}
	}
	h = HParams{NVocab: int32(vals[0]), NAudioCtx: int32(vals[1]), NAudioState: int32(vals[2]),
		NAudioHead: int32(vals[3]), NAudioLayer: int32(vals[4]), NTextCtx: int32(vals[5]),
		NTextState: int32(vals[6]), NTextHead: int32(vals[7]), NTextLayer: int32(vals[8]), NMels: int32(vals[9])}
	if conv[2] != 3 {
		return h, fmt.Errorf("%w: conv1 kernel width %d, whisper.cpp needs 3", ErrUnsupported, conv[2])
	}
	return h, checkHParams(h, ErrBadSource)
}

// countLayers counts encoder and decoder blocks and checks they are
// numbered 0..n-1 without gaps.
func countLayers(m *ct2Model) (enc, dec int64, err error) {
	seen := map[string]map[int64]bool{"encoder": {}, "decoder": {}}
	for name := range m.vars {
		if g := layerRE.FindStringSubmatch(name); g != nil {
			n, err := strconv.ParseInt(g[2], 10, 32)
			if err != nil {
				return 0, 0, fmt.Errorf("%w: layer number in %s", ErrBadSource, name)
			}
			seen[g[1]][n] = true
		}
	}
	for side, set := range seen {
		for i := int64(0); i < int64(len(set)); i++ {
			if !set[i] {
				return 0, 0, fmt.Errorf("%w: %s layers are not numbered 0..%d", ErrBadSource, side, len(set)-1)
			}
		}
	}
	return int64(len(seen["encoder"])), int64(len(seen["decoder"])), nil
}

// checkHParams rejects hyper parameters whisper.cpp cannot run: it asserts
// equal encoder and decoder widths and splits each width evenly over heads.
// The bounds also keep a hostile file from making ReadInfo build a huge
// tensor table. Out-of-range values are reported as kind.
func checkHParams(h HParams, kind error) error {
	for _, f := range []struct {
		name  string
		v, hi int32
	}{
		{"n_vocab", h.NVocab, 1 << 20}, {"n_audio_ctx", h.NAudioCtx, 1 << 16},
		{"n_audio_state", h.NAudioState, 1 << 16}, {"n_audio_head", h.NAudioHead, 256},
		{"n_audio_layer", h.NAudioLayer, 256}, {"n_text_ctx", h.NTextCtx, 1 << 16},
		{"n_text_state", h.NTextState, 1 << 16}, {"n_text_head", h.NTextHead, 256},
		{"n_text_layer", h.NTextLayer, 256}, {"n_mels", h.NMels, 1 << 10},
	} {
		if f.v <= 0 || f.v > f.hi {
			return fmt.Errorf("%w: %s = %d is out of range", kind, f.name, f.v)
		}
	}
	if h.NAudioState != h.NTextState {
		return fmt.Errorf("%w: n_audio_state %d differs from n_text_state %d", ErrUnsupported, h.NAudioState, h.NTextState)
	}
	if h.NAudioState%h.NAudioHead != 0 || h.NTextState%h.NTextHead != 0 {
		return fmt.Errorf("%w: state width does not split evenly over the heads", kind)
	}
	return nil
}
