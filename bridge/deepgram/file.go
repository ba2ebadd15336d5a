package deepgram

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"sync"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/codec"
	"github.com/callscribe/callscribe/codec/container"
)

// FileTranscriber transcribes one channel of a file, 16 kHz mono. The
// service wires the decoder pool in; transports never import it.
type FileTranscriber interface {
	TranscribeChannel(ctx context.Context, samples []float32, opts FileOptions) (FileTranscript, error)
}

// FileOptions are a file request's decode settings.
type FileOptions struct {
	Language string // "" for the server's
	Prompt   string // keywords and keyterms
}

// FileTranscript is one channel's transcript: Whisper's segments, each
// with its words, times in seconds from the file's start.
type FileTranscript struct {
	Language string
	Segments []FileSegment
}

// FileSegment is one stretch of speech.
type FileSegment struct {
	Start, End float64
	Text       string
	Words      []event.Word
}

// errTooLarge reports a body over MaxFileBytes, or one that decodes to
// more than MaxFileDuration.
var errTooLarge = errors.New("deepgram: file too large")

// errUnsupportedMedia reports a body in a format callscribe does not
// decode (415); it comes wrapped with ErrUnsupported.
var errUnsupportedMedia = errors.New("unsupported media type")

// supportedFiles is what the refusal of a file's format says callscribe
// takes.
const supportedFiles = "this server decodes WAV, Ogg/Opus, WebM/Opus, MP3 and FLAC files, or raw audio with encoding and sample_rate"

// serveFile transcribes a POSTed file: raw audio with encoding and
// sample_rate, audio whose content type says its format, or a WAV.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, p Params) {
	id := newRequestID()
	body, err := s.fileBody(r)
	if err != nil {
		writeError(w, err, id)
		return
	}
	a, err := s.decodeFile(body, p, r.Header.Get("Content-Type"))
	if err != nil {
		writeError(w, err, id)
		return
	}
	channels := len(a.Channels)
	if !p.Multichannel && channels > 1 {
		a = mixDown(a)
	}
	if a, err = a.Resampled(bridge.SampleRate); err != nil {
		writeError(w, fmt.Errorf("%w: %w", ErrUnsupported, err), id)
		return
	}
	results, err := s.transcribeChannels(r.Context(), a.Channels, FileOptions{Language: p.Language, Prompt: p.Prompt})
	if err != nil {
		s.cfg.Logger.Warn("deepgram file", "request_id", id, "err", err)
		writeJSON(w, http.StatusInternalServerError, APIError{ErrCode: "INTERNAL_SERVER_ERROR", ErrMsg: "transcription failed", RequestID: id})
		return
	}
	sum := sha256.Sum256(body)
	m := s.cfg.Model
	resp := Response{Metadata: ResponseMetadata{TransactionKey: "deprecated", RequestID: id, SHA256: hex.EncodeToString(sum[:]),
		Created: s.cfg.Clock.Now().UTC().Format("2006-01-02T15:04:05.000Z"), Duration: round(a.Duration().Seconds()), Channels: channels,
		Models: []string{m.uuid()}, ModelInfo: map[string]ModelInfo{m.uuid(): m.info(p.Model)}, Tags: p.Tags}}
	resp.Results = fileResults(results, p)
	writeJSON(w, http.StatusOK, resp)
}

// transcribeChannels decodes every channel at once (the pool schedules).
func (s *Server) transcribeChannels(ctx context.Context, channels [][]float32, o FileOptions) ([]FileTranscript, error) {
	out := make([]FileTranscript, len(channels))
	errs := make([]error, len(channels))
	var wg sync.WaitGroup
	for c, samples := range channels {
		wg.Go(func() { out[c], errs[c] = s.files.TranscribeChannel(ctx, samples, o) })
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// fileBody reads the audio: the body, or, for a JSON body {"url": ...},
// what the URL serves when the server fetches URLs.
func (s *Server) fileBody(r *http.Request) ([]byte, error) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "application/json" {
		return s.fetch(r.Context(), io.LimitReader(r.Body, 64<<10))
	}
	return readLimited(r.Body, s.cfg.MaxFileBytes)
}

func readLimited(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%w: reading the audio: %w", ErrBadParams, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%w: over %d bytes", errTooLarge, limit)
	}
	if len(b) == 0 {
		return nil, fmt.Errorf("%w: no audio in the request body", ErrBadParams)
	}
	return b, nil
}

// decodeFile reads body as raw audio (encoding, or a content type that
// says the format: audio/l16, audio/pcmu, audio/pcma, audio/basic) or as
// a file whose first bytes say its format: WAV, Ogg/Opus, WebM/Opus, MP3
// or FLAC. Channels stay apart.
func (s *Server) decodeFile(body []byte, p Params, contentType string) (*codec.Audio, error) {
	f := wavFormat{enc: p.Encoding, rate: p.SampleRate, channels: p.Channels}
	if f.enc.compressed() {
		f.enc = "" // the file's own framing says it
	}
	if f.enc == "" {
		ct, params, _ := mime.ParseMediaType(contentType)
		rate, _ := strconv.Atoi(params["rate"])
		channels, _ := strconv.Atoi(params["channels"])
		switch ct {
		case "audio/l16":
			f = wavFormat{enc: Linear16, rate: rate, channels: max(channels, 1)}
			body = swapBytes16(body) // audio/L16 is big-endian (RFC 2586)
		case "audio/pcmu", "audio/basic":
			f = wavFormat{enc: Mulaw, rate: max(rate, 8000), channels: max(channels, 1)}
		case "audio/pcma":
			f = wavFormat{enc: Alaw, rate: max(rate, 8000), channels: max(channels, 1)}
		}
	}
	if f.enc == "" {
		return s.decodeContainer(body, contentType)
	}
	if f.rate < 8000 || f.rate > 192000 {
		return nil, fmt.Errorf("%w: raw audio needs a sample rate in 8000..192000 Hz (sample_rate, or rate= in the content type)", ErrBadParams)
	}
	samples := f.enc.decode(nil, body)
	if len(samples) < f.channels {
		return nil, fmt.Errorf("%w: no audio samples", ErrBadParams)
	}
	a := &codec.Audio{SampleRate: f.rate, Channels: make([][]float32, f.channels)}
	for i := 0; i+f.channels <= len(samples); i += f.channels {
		for c := range f.channels {
			a.Channels[c] = append(a.Channels[c], samples[i+c])
		}
	}
	return a, nil
}

// decodeContainer decodes a file by the format its first bytes say; the
// content type only names, in a refusal, what the bytes did not.
func (s *Server) decodeContainer(body []byte, contentType string) (*codec.Audio, error) {
	switch kind := container.Sniff(body); kind {
	case container.WAV:
		if _, _, err := parseWAVHeader(body); err != nil && !errors.Is(err, errShortHeader) {
			return nil, err
		}
		a, err := codec.ReadWAV(bytes.NewReader(body))
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrUnsupported, err)
		}
		return a, nil
	case container.Ogg, container.WebM, container.MP3, container.FLAC:
		a, err := container.Decode(body, kind, container.Options{Rate: opusRate, MaxDuration: s.cfg.MaxFileDuration,
			MaxChannels: maxChannels, NewOpusDecoder: s.cfg.NewOpusDecoder})
		switch {
		case errors.Is(err, container.ErrTooLong):
			return nil, fmt.Errorf("%w: %v file: %w", errTooLarge, kind, err)
		case errors.Is(err, container.ErrCorrupt):
			return nil, fmt.Errorf("%w: failed to process audio: corrupt or unsupported data: %w", ErrUnsupported, err)
		case err != nil:
			return nil, fmt.Errorf("%w: %w: %v file: %w; %s", ErrUnsupported, errUnsupportedMedia, kind, err, supportedFiles)
		}
		return a, nil
	case container.Unknown:
		what := "no audio format recognised"
		if ct, _, _ := mime.ParseMediaType(contentType); ct != "" && ct != "application/octet-stream" {
			what += " (content type " + ct + ")"
		}
		return nil, fmt.Errorf("%w: %w: %s; %s", ErrUnsupported, errUnsupportedMedia, what, supportedFiles)
	default:
		return nil, fmt.Errorf("%w: %w: %v audio; %s", ErrUnsupported, errUnsupportedMedia, kind, supportedFiles)
	}
}

func swapBytes16(b []byte) []byte {
	out := make([]byte, len(b)&^1)
	for i := 0; i+1 < len(b); i += 2 {
		out[i], out[i+1] = b[i+1], b[i]
	}
	return out
}

// mixDown averages a's channels into one.
func mixDown(a *codec.Audio) *codec.Audio {
	mono := make([]float32, a.Frames())
	for _, ch := range a.Channels {
		for i, v := range ch {
			mono[i] += v / float32(len(a.Channels))
		}
	}
	return &codec.Audio{SampleRate: a.SampleRate, Channels: [][]float32{mono}}
}
