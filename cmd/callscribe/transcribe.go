package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"

	"github.com/callscribe/callscribe/codec"
	"github.com/callscribe/callscribe/transcribe"
	"github.com/callscribe/callscribe/transcribe/engine"
)

// fileTranscript is the --json output for one file.
type fileTranscript struct {
	File     string              `json:"file"`
	Duration float64             `json:"duration"`
	Channels []channelTranscript `json:"channels"`
}

type channelTranscript struct {
	Channel  int                  `json:"channel"`
	Label    string               `json:"label"`
	Language string               `json:"language,omitempty"`
	Text     string               `json:"text"`
	Segments []transcribe.Segment `json:"segments"`
	Words    []transcribe.Word    `json:"words"`
}

func transcribeCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("transcribe", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg EngineConfig
	cfg.register(fs)
	asJSON := fs.Bool("json", false, "print segments, words and times as JSON")
	prompt := fs.String("prompt", "", "initial prompt: names or words to expect")
	flash := fs.Bool("flash-attention", false, "whisper.cpp's flash attention: a file's transcript may then depend on the file decoded before it on the same worker (the load bench's cost floor uses it; the service never does)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: callscribe transcribe [flags] FILE.wav [FILE.wav ...]")
		fmt.Fprintln(stderr, "WAV PCM 8-32 bit, float, mu-law or A-law; any rate; stereo channels are transcribed apart.")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errUsage
	}
	opts, err := cfg.Validate()
	if err != nil {
		return err
	}
	opts.Prompt = *prompt

	// Read every file before loading the model, so a bad file costs nothing.
	audios := make([]*codec.Audio, fs.NArg())
	for i, path := range fs.Args() {
		if audios[i], err = readAudio(path); err != nil {
			return err
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ecfg := cfg.engineConfig(newLogger(stderr, cfg.level))
	ecfg.FlashAttention = *flash
	model, err := engine.Load(cfg.Model, ecfg)
	if err != nil {
		return err
	}
	defer model.Close()
	pool, err := transcribe.NewPool(model.Factory(), transcribe.PoolConfig{Workers: cfg.Workers})
	if err != nil {
		return err
	}
	defer pool.Close()

	for i, a := range audios {
		ft, err := transcribeAudio(ctx, pool, fs.Arg(i), a, opts)
		if err != nil {
			return err
		}
		if err := printTranscript(stdout, ft, *asJSON, len(audios) > 1); err != nil {
			return err
		}
	}
	return nil
}

// readAudio reads a WAV file and resamples it to 16 kHz.
func readAudio(path string) (*codec.Audio, error) {
	a, err := codec.ReadWAVFile(path)
	if err != nil {
		return nil, err
	}
	if a.Frames() == 0 {
		return nil, fmt.Errorf("%s: no audio samples", path)
	}
	if a, err = a.Resampled(transcribe.SampleRate); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return a, nil
}

// transcribeAudio decodes every channel concurrently through the pool.
func transcribeAudio(ctx context.Context, pool *transcribe.Pool, path string, a *codec.Audio, opts transcribe.Options) (fileTranscript, error) {
	ft := fileTranscript{File: path, Duration: a.Duration().Seconds(), Channels: make([]channelTranscript, len(a.Channels))}
	errs := make([]error, len(a.Channels))
	var wg sync.WaitGroup
	for c, samples := range a.Channels {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := pool.Transcribe(ctx, samples, opts)
			if err != nil {
				errs[c] = fmt.Errorf("%s: channel %d: %w", path, c, err)
				return
			}
			ft.Channels[c] = channelTranscript{Channel: c, Label: channelLabel(c, len(a.Channels)),
				Language: res.Language, Text: res.Text(), Segments: res.Segments, Words: res.Words()}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return ft, err
		}
	}
	return ft, nil
}

// channelLabel names a channel: stereo call recordings usually put the
// caller left and the agent right, but we only know the position.
func channelLabel(c, n int) string {
	if n == 2 {
		return [...]string{"left", "right"}[c]
	}
	return fmt.Sprintf("ch%d", c)
}

func printTranscript(w io.Writer, ft fileTranscript, asJSON, withName bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(ft)
	}
	var b strings.Builder
	if withName {
		fmt.Fprintf(&b, "== %s\n", ft.File)
	}
	for _, ch := range ft.Channels {
		if len(ft.Channels) > 1 {
			fmt.Fprintf(&b, "[%s] ", ch.Label)
		}
		b.WriteString(ch.Text)
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
