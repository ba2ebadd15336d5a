package main

import (
	"context"
	"flag"
	"path/filepath"
	"strings"

	"github.com/callscribe/callscribe/bridge/deepgram"
	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/codec/container"
	"github.com/callscribe/callscribe/codec/opus"
	"github.com/callscribe/callscribe/transcribe"
	"github.com/callscribe/callscribe/transcribe/engine"
)

// DeepgramConfig is the Deepgram-compatible API's part of the serve
// configuration.
type DeepgramConfig struct {
	// DeepgramFetchURLs lets POST /v1/listen fetch audio from a URL given
	// as {"url": ...}, from public addresses only.
	DeepgramFetchURLs bool
}

func (c *DeepgramConfig) register(fs *flag.FlagSet) {
	fs.BoolVar(&c.DeepgramFetchURLs, "deepgram-fetch-urls", false, `POST /v1/listen fetches {"url": ...} bodies from public addresses (off: such requests are refused)`)
}

// deepgramConfig is the endpoint's configuration the flags set.
func (c ServeConfig) deepgramConfig(s *service, maxUpload int64) deepgram.Config {
	return deepgram.Config{Model: deepgramModel(c.Model), MaxDuration: c.MaxCallDuration, MediaTimeout: c.MediaTimeout,
		MaxFileBytes: maxUpload, FetchURLs: c.DeepgramFetchURLs, Logger: s.log, Refusals: s.metrics, NewOpusDecoder: newOpusDecoder}
}

// newOpusDecoder is libopus (codec/opus) for the Deepgram endpoint's Ogg,
// WebM and raw Opus: the one place its cgo meets the bridge.
func newOpusDecoder(rate, channels int) (container.OpusDecoder, error) {
	return opus.NewDecoderChannels(rate, channels)
}

// deepgramModel names the served model as metadata.model_info shows it:
// models/ggml-tiny.en.bin is whisper-tiny.en.
func deepgramModel(path string) deepgram.Model {
	name := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(path), "ggml-"), ".bin")
	return deepgram.Model{Name: "whisper-" + name, Version: "whisper.cpp " + engine.Version(), Arch: "whisper"}
}

// poolFiles transcribes POST /v1/listen's channels on the decoder pool,
// with the service's file settings.
type poolFiles struct {
	pool *transcribe.Pool
	opts transcribe.Options
}

func (f poolFiles) TranscribeChannel(ctx context.Context, samples []float32, o deepgram.FileOptions) (deepgram.FileTranscript, error) {
	opts := f.opts
	if o.Language != "" {
		opts.Language = o.Language
	}
	opts.Prompt = o.Prompt
	res, err := f.pool.Transcribe(ctx, samples, opts)
	if err != nil {
		return deepgram.FileTranscript{}, err
	}
	ft := deepgram.FileTranscript{Language: res.Language}
	for _, seg := range res.Segments {
		fs := deepgram.FileSegment{Start: seg.Start, End: seg.End, Text: seg.Text}
		for _, w := range seg.Words() {
			fs.Words = append(fs.Words, event.Word{Word: w.Word, Start: w.Start, End: w.End, Confidence: w.Confidence})
		}
		ft.Segments = append(ft.Segments, fs)
	}
	return ft, nil
}
