package deepgram

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/callscribe/callscribe/codec"
)

func post(t *testing.T, url, contentType string, body []byte) (int, []byte) {
	t.Helper()
	resp, err := http.Post(url, contentType, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

func stereoWAV(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	a := &codec.Audio{SampleRate: 8000, Channels: [][]float32{make([]float32, 16000), make([]float32, 16000)}}
	if err := codec.WriteWAV(&b, a, codec.FormatMulaw); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// A stereo WAV: one channel mixed, or each apart with multichannel, with
// utterances; the response has Deepgram's shape.
func TestFileWAV(t *testing.T) {
	url := serve(t, Config{}, newHub()) + "/v1/listen"
	code, body := post(t, url+"?multichannel=true&utterances=true&punctuate=true&model=whisper-large&keyterm=Acme", "audio/wav", stereoWAV(t))
	var r Response
	if err := json.Unmarshal(body, &r); code != 200 || err != nil {
		t.Fatalf("%d %v %s", code, err, body)
	}
	if r.Metadata.Channels != 2 || r.Metadata.Duration != 2 || len(r.Results.Channels) != 2 || len(r.Results.Utterances) != 2 ||
		r.Metadata.ModelInfo[r.Metadata.Models[0]].Requested != "whisper-large" || r.Metadata.RequestID == "" || len(r.Metadata.SHA256) != 64 {
		t.Fatalf("response %s", body)
	}
	if got := r.Results.Channels[1].Alternatives[0].Transcript; got != "Said 2.0 seconds.Acme." {
		t.Errorf("channel 1 (keyterm in the prompt): %q", got)
	}
	if u := r.Results.Utterances[1]; u.Channel != 1 || u.End != 2 || len(u.Words) != 2 || u.Words[1].PunctuatedWord != "seconds." {
		t.Errorf("utterance %+v", u)
	}
	code, body = post(t, url, "application/octet-stream", stereoWAV(t))
	r = Response{}
	if err := json.Unmarshal(body, &r); code != 200 || err != nil || len(r.Results.Channels) != 1 || r.Results.Utterances != nil ||
		r.Results.Channels[0].Alternatives[0].Transcript != "said seconds" {
		t.Errorf("mixed: %d %s", code, body)
	}
}

// Raw audio: with encoding and sample_rate, or audio/L16 (big-endian) with
// its rate in the content type.
func TestFileRaw(t *testing.T) {
	url := serve(t, Config{}, newHub()) + "/v1/listen"
	le := make([]byte, 2*16000)
	be := make([]byte, 2*8000)
	for i := range 8000 {
		binary.BigEndian.PutUint16(be[2*i:], uint16(i))
	}
	for name, c := range map[string]struct {
		query, contentType string
		body               []byte
		want               string
	}{
		"linear16":    {"?encoding=linear16&sample_rate=16000&punctuate=true", "application/octet-stream", le, "Said 1.0 seconds."},
		"audio/L16":   {"?punctuate=true", "audio/L16; rate=8000; channels=1", be, "Said 1.0 seconds."},
		"audio/basic": {"?punctuate=true", "audio/basic", make([]byte, 4000), "Said 0.5 seconds."},
	} {
		code, body := post(t, url+c.query, c.contentType, c.body)
		var r Response
		if err := json.Unmarshal(body, &r); code != 200 || err != nil || r.Results.Channels[0].Alternatives[0].Transcript != c.want {
			t.Errorf("%s: %d %s", name, code, body)
		}
	}
}

func TestFileRefusals(t *testing.T) {
	url := serve(t, Config{MaxFileBytes: 1 << 20}, newHub()) + "/v1/listen"
	for name, c := range map[string]struct {
		contentType string
		body        []byte
		status      int
		errCode     string
	}{
		"a broken MP3":   {"audio/mpeg", append([]byte("ID3"), make([]byte, 100)...), 400, "UNSUPPORTED_AUDIO"},
		"bytes":          {"application/octet-stream", []byte("hello there, not audio"), 415, "UNSUPPORTED_AUDIO"},
		"an M4A":         {"audio/mp4", []byte("\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00"), 415, "UNSUPPORTED_AUDIO"},
		"AAC":            {"audio/aac", []byte("\xFF\xF1\x50\x80\x02\x1F\xFC"), 415, "UNSUPPORTED_AUDIO"},
		"nothing":        {"audio/wav", nil, 400, "INVALID_QUERY_PARAMETER"},
		"too big":        {"audio/wav", make([]byte, 2<<20), 413, "PAYLOAD_TOO_LARGE"},
		"a URL":          {"application/json", []byte(`{"url":"https://example.com/a.wav"}`), 400, "REMOTE_CONTENT_ERROR"},
		"a JSON non-URL": {"application/json", []byte(`{"uri":1}`), 400, "INVALID_QUERY_PARAMETER"},
	} {
		code, body := post(t, url, c.contentType, c.body)
		var e APIError
		if err := json.Unmarshal(body, &e); code != c.status || err != nil || e.ErrCode != c.errCode || e.RequestID == "" {
			t.Errorf("%s: %d %s", name, code, body)
		}
	}
}

// With FetchURLs on, the default client still refuses an address on the
// server's own network (here loopback); a client the operator allows
// fetches the audio.
func TestFileURLFetch(t *testing.T) {
	wav := stereoWAV(t)
	audio := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(wav) }))
	defer audio.Close()
	body := []byte(`{"url":"` + audio.URL + `/call.wav"}`)
	code, out := post(t, serve(t, Config{FetchURLs: true}, newHub())+"/v1/listen", "application/json", body)
	if code != 400 || !strings.Contains(string(out), "not a public address") {
		t.Errorf("a loopback URL: %d %s", code, out)
	}
	code, out = post(t, serve(t, Config{FetchURLs: true, FetchClient: audio.Client()}, newHub())+"/v1/listen?multichannel=true", "application/json", body)
	var r Response
	if err := json.Unmarshal(out, &r); code != 200 || err != nil || len(r.Results.Channels) != 2 {
		t.Errorf("fetched: %d %s", code, out)
	}
}
