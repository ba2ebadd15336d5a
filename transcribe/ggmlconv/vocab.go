package ggmlconv

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// endOfText is the first special token; every token before it is an
// ordinary byte-level BPE token.
const endOfText = "<|endoftext|>"

// readVocabulary loads the CTranslate2 vocabulary of a model folder:
// vocabulary.json (a JSON list, as newer converters write) or
// vocabulary.txt (one token per line), in id order.
func readVocabulary(dir string) ([]string, error) {
	data, err := os.ReadFile(filepath.Join(dir, "vocabulary.json"))
	if err == nil {
		var tokens []string
		if err := json.Unmarshal(data, &tokens); err != nil {
			return nil, fmt.Errorf("%w: vocabulary.json: %w", ErrBadSource, err)
		}
		return tokens, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	data, err = os.ReadFile(filepath.Join(dir, "vocabulary.txt"))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w: no vocabulary.json or vocabulary.txt in %s", ErrBadSource, dir)
		}
		return nil, err
	}
	// Tokens are in GPT-2's printable byte alphabet, so a raw newline only
	// ever separates lines; an empty line is a real (empty) token.
	data = bytes.TrimSuffix(data, []byte("\n"))
	lines := bytes.Split(data, []byte("\n"))
	tokens := make([]string, len(lines))
	for i, l := range lines {
		tokens[i] = string(bytes.TrimSuffix(l, []byte("\r")))
	}
	return tokens, nil
}

// ordinaryTokens returns the raw bytes of the tokens before end-of-text,
// which is all whisper.cpp reads from a file: it numbers the special and
// timestamp tokens itself, from fixed ids. So end-of-text must sit where
// whisper.cpp puts it (50256, or 50257 in multilingual vocabularies, which
// carry one empty token before it).
func ordinaryTokens(tokens []string, multilingual bool) ([][]byte, error) {
	eot := -1
	for i, t := range tokens {
		if t == endOfText {
			eot = i
			break
		}
	}
	want := eotEnglish
	if multilingual {
		want++
	}
	if eot != want {
		return nil, fmt.Errorf("%w: %s is token %d, whisper.cpp expects %d", ErrUnsupported, endOfText, eot, want)
	}
	dec := byteDecoder()
	out := make([][]byte, eot)
	for i, t := range tokens[:eot] {
		b := make([]byte, 0, len(t))
		for _, r := range t {
			c, ok := dec[r]
			if !ok {
				return nil, fmt.Errorf("%w: token %d (%q) has %q outside the byte alphabet", ErrBadSource, i, t, r)
			}
			b = append(b, c)
		}
		out[i] = b
	}
	return out, nil
}

// byteDecoder inverts GPT-2's bytes_to_unicode table, which maps every byte
// to a printable character so BPE tokens are valid text: printable Latin-1
// bytes map to themselves, the other 68 bytes, in order, to U+0100 upwards.
func byteDecoder() map[rune]byte {
	printable := func(b int) bool {
		return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF)
	}
	dec := make(map[rune]byte, 256)
	next := rune(256)
	for b := 0; b < 256; b++ {
		if printable(b) {
			dec[rune(b)] = byte(b)
		} else {
			dec[next] = byte(b)
			next++
		}
	}
	return dec
}
