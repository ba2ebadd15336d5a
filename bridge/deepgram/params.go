package deepgram

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Params are the query parameters of a request, as callscribe reads them.
// Parameters Deepgram has and callscribe does not (diarize, redact,
// search, ...) are accepted and ignored.
type Params struct {
	// Encoding is the raw encoding, or opus, ogg-opus or flac; empty
	// means a container (WAV, Ogg, WebM; MP3 and FLAC files) whose header
	// says the format.
	Encoding Encoding
	// SampleRate and Channels describe raw audio.
	SampleRate, Channels int
	// Multichannel transcribes each channel apart; without it channels are
	// mixed into one.
	Multichannel bool
	// Interim asks for interim results (live).
	Interim bool
	// Endpointing is the silence that ends an utterance (0: the server's);
	// NoEndpointing (endpointing=false) keeps speech_final off.
	Endpointing   time.Duration
	NoEndpointing bool
	// UtteranceEnd is utterance_end_ms; 0 sends no UtteranceEnd.
	UtteranceEnd time.Duration
	// VADEvents asks for SpeechStarted.
	VADEvents bool
	// Punctuate keeps punctuation and capitals (punctuate or smart_format).
	Punctuate bool
	// Language is the decode language ("" for the server's).
	Language string
	// Model is the model name asked for ("" for the default).
	Model string
	// Prompt is keywords and keyterms, for the decoder's prompt.
	Prompt string
	// Tags label the call.
	Tags []string
	// Utterances asks for results.utterances (files).
	Utterances bool
}

// maxChannels bounds the tracks one stream opens; maxPrompt the
// vocabulary kept (Whisper's prompt holds about 220 tokens).
const (
	maxChannels = 8
	maxPrompt   = 400
)

// ParseParams reads and checks a query string.
func ParseParams(q url.Values) (Params, error) {
	p := Params{Channels: 1, Language: baseLanguage(q.Get("language")), Model: q.Get("model"), Tags: q["tag"]}
	var errs []string
	flag := func(name string, dst *bool) {
		if v := q.Get(name); v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				errs = append(errs, fmt.Sprintf("%s=%q is not true or false", name, v))
			}
			*dst = b
		}
	}
	number := func(name string, lo, hi int) int {
		v := q.Get(name)
		if v == "" {
			return 0
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			errs = append(errs, fmt.Sprintf("%s=%q must be a whole number in %d..%d", name, v, lo, hi))
		}
		return n
	}
	flag("multichannel", &p.Multichannel)
	flag("interim_results", &p.Interim)
	flag("vad_events", &p.VADEvents)
	flag("utterances", &p.Utterances)
	var punctuate, smart bool
	flag("punctuate", &punctuate)
	flag("smart_format", &smart)
	p.Punctuate = punctuate || smart
	if n := number("channels", 1, maxChannels); n > 0 {
		p.Channels = n
	}
	p.SampleRate = number("sample_rate", 8000, 192000)
	p.UtteranceEnd = time.Duration(number("utterance_end_ms", 1, 60000)) * time.Millisecond
	switch v := strings.ToLower(q.Get("endpointing")); v {
	case "", "true":
	case "false":
		p.NoEndpointing = true
	default:
		p.Endpointing = time.Duration(number("endpointing", 0, 60000)) * time.Millisecond
	}
	if v := q.Get("encoding"); v != "" {
		enc, err := parseEncoding(v)
		if err != nil {
			return p, err
		}
		p.Encoding = enc
		if p.SampleRate == 0 && !enc.compressed() {
			errs = append(errs, "sample_rate is required with encoding")
		}
	}
	if len(errs) > 0 {
		return p, fmt.Errorf("%w: %s", ErrBadParams, strings.Join(errs, "; "))
	}
	p.Prompt = vocabulary(q["keywords"], q["keyterm"])
	return p, nil
}

// baseLanguage turns a BCP-47 tag into Whisper's language code: en-US is
// en, and "multi" (Deepgram's code switching) asks Whisper to detect.
func baseLanguage(tag string) string {
	if strings.EqualFold(tag, "multi") {
		return "auto"
	}
	base, _, _ := strings.Cut(tag, "-")
	return strings.ToLower(base)
}

// vocabulary joins keywords (without their intensifiers, "word:2") and
// keyterms into a prompt, at most maxPrompt bytes, whole terms only.
func vocabulary(keywords, keyterms []string) string {
	var terms []string
	for _, k := range keywords {
		if i := strings.LastIndexByte(k, ':'); i > 0 {
			if _, err := strconv.ParseFloat(k[i+1:], 64); err == nil {
				k = k[:i]
			}
		}
		terms = append(terms, k)
	}
	var b strings.Builder
	for _, t := range append(terms, keyterms...) {
		if t = strings.TrimSpace(t); t == "" || b.Len()+len(t)+2 > maxPrompt {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString(t)
	}
	if b.Len() > 0 {
		b.WriteString(".")
	}
	return b.String()
}
