package webrtc

import (
	"net/url"
	"strings"
)

// Query parameters of POST /v1/whip.
const (
	// ParamTracks names the offer's audio tracks, comma-separated, in the
	// order of their sections ("caller,agent"); a track without a name is
	// named by its msid's track id (the browser's MediaStreamTrack.id), or
	// audio<n>.
	ParamTracks = "tracks"
	// ParamLanguage sets the decode language ("auto" to detect).
	ParamLanguage = "language"
	// ParamPartials "false" leaves partials out of the data channel and
	// stops partial decoding for the call's tracks. Default on.
	ParamPartials = "partials"
)

// DataChannelLabel is the label of the data channel the call's events go
// out on: the client opens it before its offer, or the server opens it
// once connected when the offer negotiated data channels but the client
// opened none by that name.
const DataChannelLabel = "transcripts"

// params is what a POST's query asks for.
type params struct {
	labels   []string
	language string
	partials bool
	// record is what the call's record keeps (call.started's
	// custom_parameters).
	record map[string]string
}

func parseParams(q url.Values) params {
	p := params{language: q.Get(ParamLanguage), partials: !isFalse(q.Get(ParamPartials)), record: map[string]string{}}
	if v := q.Get(ParamTracks); v != "" {
		for _, l := range strings.Split(v, ",") {
			p.labels = append(p.labels, strings.TrimSpace(l))
		}
	}
	for _, k := range []string{ParamTracks, ParamLanguage, ParamPartials} {
		if v := q.Get(k); v != "" {
			p.record[k] = v
		}
	}
	return p
}

// isFalse reads a parameter that switches something off.
func isFalse(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "false", "0", "no", "off":
		return true
	}
	return false
}
