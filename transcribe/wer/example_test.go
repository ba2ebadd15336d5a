package wer_test

import (
	"fmt"
	"strings"

	"github.com/callscribe/callscribe/transcribe/wer"
)

func ExampleNormalize() {
	fmt.Println(strings.Join(wer.Normalize(`The Gutenberg, or "forty-two line Bible" of about fourteen fifty-five,`), " "))
	fmt.Println(strings.Join(wer.Normalize("[BLANK_AUDIO] It's $5, or 50% off the 3rd one!"), " "))
	// Output:
	// the gutenberg or 42 line bible of about 1455
	// it's 5 dollars or 50 percent off the 3rd 1
}

func ExampleCompute() {
	ref := "the earliest book printed with movable types, the Gutenberg"
	hyp := "The earliest book printed with moveable type, the Gutenberg."
	fmt.Println(wer.Compute(ref, hyp))
	for _, e := range wer.Alignment(ref, hyp) {
		if e.Op != wer.Match {
			fmt.Printf("%s: %q -> %q\n", e.Op, e.Ref, e.Hyp)
		}
	}
	// Output:
	// WER 22.22% (S 2, D 0, I 0; 9 ref words)
	// substitution: "movable" -> "moveable"
	// substitution: "types" -> "type"
}

func ExampleTally() {
	var corpus wer.Tally
	corpus.Add(wer.Compute("has never been surpassed", "has never been surpassed"))
	corpus.Add(wer.Compute("in being comparatively modern", "in being comparably modern"))
	fmt.Println(corpus.Clips(), corpus.Result())
	// Output:
	// 2 WER 12.50% (S 1, D 0, I 0; 8 ref words)
}
