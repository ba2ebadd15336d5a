package webrtc

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/pion/sdp/v3"
)

// offer is what the server learned from a client's SDP offer.
type offer struct {
	sdp string
	// tracks are the audio sections the client sends, in order.
	tracks []offerTrack
	// data tells whether the offer negotiates data channels.
	data bool
}

// offerTrack is one audio section the client sends: a track of the call.
type offerTrack struct {
	mid, label string
}

// labelPattern is what a track label may hold: it names the track in
// events, logs and stored transcripts.
var labelPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// parseOffer checks an SDP offer: it must parse, send audio, and offer a
// codec the server decodes (opus tells whether Opus is one) in at least one
// audio section. labels, from the query, name the tracks in order; a track
// without one is named by its msid's track id, or audio<n>.
func parseOffer(raw []byte, labels []string, opus bool, maxTracks int) (offer, error) {
	var d sdp.SessionDescription
	if err := d.Unmarshal(raw); err != nil {
		return offer{}, fmt.Errorf("%w: %w", ErrBadOffer, err)
	}
	o := offer{sdp: string(raw)}
	sessionDir := direction(d.Attributes, "sendrecv")
	audio, unsupported := 0, 0
	for i, m := range d.MediaDescriptions {
		rejected := m.MediaName.Port.Value == 0
		switch {
		case m.MediaName.Media == "application" && !rejected:
			o.data = true
		case m.MediaName.Media != "audio" || rejected:
		case !sends(direction(m.Attributes, sessionDir)):
		case !decodable(m, opus):
			unsupported++
		default:
			audio++
			mid, _ := m.Attribute("mid")
			if mid == "" {
				mid = strconv.Itoa(i)
			}
			o.tracks = append(o.tracks, offerTrack{mid: mid, label: msidTrack(m)})
		}
	}
	switch {
	case audio == 0 && unsupported > 0:
		codecs := "PCMU/8000 or PCMA/8000"
		if opus {
			codecs = "opus/48000/2, " + codecs
		}
		return offer{}, fmt.Errorf("%w: the offer's audio has none of %s", ErrUnsupportedCodec, codecs)
	case audio == 0:
		return offer{}, fmt.Errorf("%w: no audio section the client sends (add an audio track, sendonly or sendrecv)", ErrNoAudio)
	case audio > maxTracks:
		return offer{}, fmt.Errorf("%w: %d audio tracks, at most %d", ErrBadOffer, audio, maxTracks)
	}
	if err := o.name(labels); err != nil {
		return offer{}, err
	}
	return o, nil
}

// name labels the tracks: the query's labels first, then each track's own.
func (o *offer) name(labels []string) error {
	if len(labels) > len(o.tracks) {
		return fmt.Errorf("%w: %d track labels for %d audio tracks", ErrBadParams, len(labels), len(o.tracks))
	}
	seen := map[string]bool{}
	for i := range o.tracks {
		t := &o.tracks[i]
		switch {
		case i < len(labels):
			if !labelPattern.MatchString(labels[i]) {
				return fmt.Errorf("%w: track label %q (1-64 letters, digits, '.', '_', '-')", ErrBadParams, labels[i])
			}
			t.label = labels[i]
		case !labelPattern.MatchString(t.label):
			t.label = fmt.Sprintf("audio%d", i)
		}
		if seen[t.label] {
			if i < len(labels) {
				return fmt.Errorf("%w: track label %q twice", ErrBadParams, t.label)
			}
			t.label = fmt.Sprintf("%s-%d", t.label, i)
		}
		seen[t.label] = true
	}
	return nil
}

// direction returns the direction attribute among attrs, or def.
func direction(attrs []sdp.Attribute, def string) string {
	for _, a := range attrs {
		switch a.Key {
		case "sendrecv", "sendonly", "recvonly", "inactive":
			return a.Key
		}
	}
	return def
}

// sends reports whether the offerer sends media in a section of direction
// dir.
func sends(dir string) bool { return dir == "sendrecv" || dir == "sendonly" }

// decodable reports whether an audio section offers a codec the server
// decodes: Opus (when opus), PCMU or PCMA, by rtpmap or by static payload
// type.
func decodable(m *sdp.MediaDescription, opus bool) bool {
	mapped := map[string]bool{}
	for _, a := range m.Attributes {
		if a.Key != "rtpmap" {
			continue
		}
		pt, enc, _ := strings.Cut(a.Value, " ")
		mapped[pt] = true
		name, rest, _ := strings.Cut(strings.ToLower(enc), "/")
		rate, _, _ := strings.Cut(rest, "/")
		if (name == "opus" && rate == "48000" && opus) || ((name == "pcmu" || name == "pcma") && rate == "8000") {
			return true
		}
	}
	for _, f := range m.MediaName.Formats {
		if (f == "0" || f == "8") && !mapped[f] {
			return true // RFC 3551's static PCMU and PCMA
		}
	}
	return false
}

// msidTrack returns the track id of a section's msid ("a=msid:stream
// track"), without the braces some browsers put around it.
func msidTrack(m *sdp.MediaDescription) string {
	v, _ := m.Attribute("msid")
	_, track, _ := strings.Cut(v, " ")
	return strings.Trim(track, "{}")
}
