package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/callscribe/callscribe/transcribe/ggmlconv"
)

func modelCmd(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: callscribe model convert [--type f16|q8_0] CT2_DIR OUT.bin\n       callscribe model info MODEL.bin")
		return errUsage
	}
	switch args[0] {
	case "convert":
		return modelConvert(args[1:], stdout, stderr)
	case "info":
		return modelInfo(args[1:], stdout, stderr)
	}
	return fmt.Errorf("model: unknown subcommand %q (convert, info)", args[0])
}

func modelConvert(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("model convert", flag.ContinueOnError)
	fs.SetOutput(stderr)
	typ := fs.String("type", "q8_0", "weight type: f16 (lossless from float16) or q8_0 (half the size, a third less CPU)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: callscribe model convert [--type f16|q8_0] CT2_DIR OUT.bin")
		fmt.Fprintln(stderr, "CT2_DIR is a CTranslate2 / faster-whisper model folder (model.bin, config.json, vocabulary).")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return errUsage
	}
	var opts ggmlconv.Options
	switch *typ {
	case "f16":
		opts.Type = ggmlconv.F16
	case "q8_0":
		opts.Type = ggmlconv.Q8_0
	default:
		return fmt.Errorf("model convert: --type must be f16 or q8_0, got %q", *typ)
	}
	start := time.Now()
	info, err := ggmlconv.ConvertFile(fs.Arg(0), fs.Arg(1), opts)
	if err != nil {
		return err
	}
	h := info.HParams
	fmt.Fprintf(stdout, "wrote %s: %s, %d MB, %d encoder + %d decoder layers, width %d, vocab %d, multilingual %v, in %.1fs\n",
		fs.Arg(1), info.WeightType, info.Size>>20, h.NAudioLayer, h.NTextLayer, h.NAudioState, h.NVocab,
		info.Multilingual, time.Since(start).Seconds())
	return nil
}

func modelInfo(args []string, stdout, stderr io.Writer) error {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "usage: callscribe model info MODEL.bin")
		return errUsage
	}
	info, err := ggmlconv.ReadInfo(args[0])
	if err != nil {
		return err
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(info)
}
