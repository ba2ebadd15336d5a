package deepgram

import (
	"errors"
	"net/url"
	"testing"
	"time"
)

func TestParseParams(t *testing.T) {
	q, _ := url.ParseQuery("encoding=linear16&sample_rate=8000&channels=2&multichannel=True&interim_results=true" +
		"&endpointing=300&utterance_end_ms=1000&vad_events=true&smart_format=true&language=en-US&model=nova-3" +
		"&keywords=Kennedy:2&keyterm=Houston%20control&tag=a&tag=b&diarize=true&redact=pci")
	p, err := ParseParams(q)
	if err != nil {
		t.Fatal(err)
	}
	want := Params{Encoding: Linear16, SampleRate: 8000, Channels: 2, Multichannel: true, Interim: true,
		Endpointing: 300 * time.Millisecond, UtteranceEnd: time.Second, VADEvents: true, Punctuate: true,
		Language: "en", Model: "nova-3", Prompt: "Kennedy, Houston control.", Tags: []string{"a", "b"}}
	if p.Encoding != want.Encoding || p.SampleRate != want.SampleRate || p.Channels != want.Channels || !p.Multichannel ||
		!p.Interim || p.Endpointing != want.Endpointing || p.UtteranceEnd != want.UtteranceEnd || !p.VADEvents ||
		!p.Punctuate || p.Language != "en" || p.Model != "nova-3" || p.Prompt != want.Prompt || len(p.Tags) != 2 {
		t.Errorf("got %+v\nwant %+v", p, want)
	}
	if p, _ := ParseParams(url.Values{"endpointing": {"false"}, "language": {"multi"}}); !p.NoEndpointing || p.Language != "auto" || p.Encoding != "" {
		t.Errorf("endpointing=false, language=multi: %+v", p)
	}
}

// Opus and FLAC carry their own rate: sample_rate is not needed.
func TestParseParamsCompressed(t *testing.T) {
	for _, q := range []string{"encoding=opus", "encoding=OGG-OPUS", "encoding=flac", "encoding=opus&sample_rate=48000&channels=2"} {
		v, _ := url.ParseQuery(q)
		if p, err := ParseParams(v); err != nil || !p.Encoding.compressed() {
			t.Errorf("%s: %+v, %v", q, p, err)
		}
	}
}

func TestParseParamsRefuses(t *testing.T) {
	for q, want := range map[string]error{
		"encoding=amr-nb&sample_rate=8000": ErrUnsupported,
		"encoding=speex":                   ErrUnsupported,
		"encoding=wav":                     ErrBadParams,
		"encoding=linear16":                ErrBadParams, // no sample_rate
		"channels=9":                       ErrBadParams,
		"sample_rate=7":                    ErrBadParams,
		"interim_results=maybe":            ErrBadParams,
		"endpointing=soon":                 ErrBadParams,
		"utterance_end_ms=-1":              ErrBadParams,
		"encoding=mulaw&sample_rate=abc":   ErrBadParams,
		"multichannel=true&punctuate=nope": ErrBadParams,
	} {
		v, _ := url.ParseQuery(q)
		if _, err := ParseParams(v); !errors.Is(err, want) {
			t.Errorf("%s: %v, want %v", q, err, want)
		}
	}
}

func TestVocabularyIsBounded(t *testing.T) {
	long := make([]string, 100)
	for i := range long {
		long[i] = "terminology"
	}
	if v := vocabulary(nil, long); len(v) > maxPrompt || v == "" {
		t.Errorf("%d bytes", len(v))
	}
	if v := vocabulary([]string{"a:b", "x:-1.5"}, []string{" ", "c"}); v != "a:b, x, c." {
		t.Errorf("%q", v)
	}
}

func TestModelInfo(t *testing.T) {
	m := Model{Name: "whisper-tiny.en", Version: "whisper.cpp 1.9.5", Arch: "whisper"}
	for name, known := range map[string]bool{"nova-3": true, "nova-2-phonecall": true, "enhanced": true, "base": true, "novak": false, "acme-9": false} {
		mi := m.info(name)
		if mi.Name != m.Name || mi.Requested != name || (known == (mi.Served[:7] == "unknown")) {
			t.Errorf("%s: %+v", name, mi)
		}
	}
	if u := m.uuid(); len(u) != 36 || u != m.uuid() {
		t.Errorf("uuid %q", u)
	}
}
