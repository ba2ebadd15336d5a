package ggmlconv_test

import (
	"errors"
	"fmt"
	"io/fs"
	"log"

	"github.com/callscribe/callscribe/transcribe/ggmlconv"
)

// The engine checks a model before handing it to whisper.cpp, which would
// abort the process on a broken file.
func ExampleReadInfo() {
	_, err := ggmlconv.ReadInfo("/nonexistent/ggml-tiny.en-q8_0.bin")
	switch {
	case errors.Is(err, fs.ErrNotExist):
		fmt.Println("model missing: run `callscribe model convert` first")
	case errors.Is(err, ggmlconv.ErrTruncated):
		fmt.Println("model truncated: convert it again")
	case err != nil:
		fmt.Println("unusable model:", err)
	}
	// Output: model missing: run `callscribe model convert` first
}

func ExampleConvertFile() {
	info, err := ggmlconv.ConvertFile("models/tiny.en-ct2", "models/ggml-tiny.en-q8_0.bin",
		ggmlconv.Options{Type: ggmlconv.Q8_0})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s model, %d layers, multilingual %v, %d bytes\n",
		info.WeightType, info.HParams.NAudioLayer, info.Multilingual, info.Size)
}
