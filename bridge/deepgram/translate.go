package deepgram

import (
	"strconv"
	"strings"
	"time"

	"github.com/callscribe/callscribe/bridge/event"
)

// translator turns a stream's transcript events into Deepgram's messages.
// It is pure (times are passed in) and not safe for concurrent use.
type translator struct {
	p     Params
	meta  ResultsMetadata
	chans []chanState
}

// chanState is what the translator knows of one channel.
type chanState struct {
	// current is the utterance whose results are being sent ("" between
	// utterances): its first result brought SpeechStarted.
	current string
	// lastEnd is where the last final result ended.
	lastEnd float64
	// lastWordEnd is the end of the last final word; ueOwed says an
	// UtteranceEnd waits for the audio to pass it by utterance_end_ms.
	lastWordEnd float64
	ueOwed      bool
	// finalized and closed hold the utterances a Finalize or the
	// stream's end cut, whose finals are not speech_final.
	finalized, closed map[string]bool
}

func newTranslator(p Params, meta ResultsMetadata, channels int) *translator {
	t := &translator{p: p, meta: meta}
	t.setChannels(channels)
	return t
}

// setChannels sets the number of channels, once a WAV header said it.
func (t *translator) setChannels(n int) {
	t.chans = make([]chanState, n)
	for i := range t.chans {
		t.chans[i] = chanState{finalized: map[string]bool{}, closed: map[string]bool{}}
	}
}

// channel reads a track name ("ch1") as its channel index.
func (t *translator) channel(track string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimPrefix(track, "ch"))
	return n, err == nil && strings.HasPrefix(track, "ch") && n >= 0 && n < len(t.chans)
}

func (t *translator) index(c int) []int { return []int{c, len(t.chans)} }

// transcript returns the messages of a transcript event, media seconds
// into the stream: SpeechStarted before an utterance's first result, the
// Results, and an UtteranceEnd already due after a final.
func (t *translator) transcript(e event.Event, media float64) []any {
	c, ok := t.channel(e.Track)
	if e.Type != event.Transcript || !ok {
		return nil
	}
	st := &t.chans[c]
	var out []any
	if e.UtteranceID != st.current {
		if st.ueOwed && e.Start-st.lastWordEnd < t.p.UtteranceEnd.Seconds() {
			st.ueOwed = false // speech resumed before the gap: one utterance to Deepgram
		}
		out = append(out, t.owedEnd(c, e.Start)...)
		if t.p.VADEvents && e.Text != "" {
			out = append(out, SpeechStarted{Type: "SpeechStarted", Channel: t.index(c), Timestamp: round(e.Start)})
		}
		st.current = e.UtteranceID
	}
	r := t.results(c, e.Start, e.End, alternative(e.Text, e.Words, t.p.Punctuate))
	r.IsFinal = e.IsFinal
	if !e.IsFinal {
		return append(out, r)
	}
	r.FromFinalize = st.finalized[e.UtteranceID]
	r.SpeechFinal = !r.FromFinalize && !st.closed[e.UtteranceID] && !t.p.NoEndpointing
	delete(st.finalized, e.UtteranceID)
	delete(st.closed, e.UtteranceID)
	st.current, st.lastEnd = "", max(st.lastEnd, e.End)
	if n := len(e.Words); n > 0 && t.p.UtteranceEnd > 0 {
		st.lastWordEnd, st.ueOwed = e.Words[n-1].End, true
	}
	return append(append(out, r), t.owedEnd(c, media)...)
}

func (t *translator) results(c int, start, end float64, alt Alternative) Results {
	return Results{Type: "Results", ChannelIndex: t.index(c), Start: round(start), Duration: round(max(0, end-start)),
		Channel: Channel{Alternatives: []Alternative{alt}}, Metadata: t.meta}
}

// owedEnd returns channel c's UtteranceEnd if one is owed and the audio
// reached utterance_end_ms past the last word.
func (t *translator) owedEnd(c int, media float64) []any {
	st := &t.chans[c]
	if !st.ueOwed || media-st.lastWordEnd < t.p.UtteranceEnd.Seconds() {
		return nil
	}
	st.ueOwed = false
	return []any{UtteranceEnd{Type: "UtteranceEnd", Channel: t.index(c), LastWordEnd: round(st.lastWordEnd)}}
}

// media returns the UtteranceEnds the audio's progress made due.
func (t *translator) media(media float64) []any {
	var out []any
	for c := range t.chans {
		out = append(out, t.owedEnd(c, media)...)
	}
	return out
}

// finalized takes a Finalize's answer for channel c: the utterance it cut,
// whose final will say from_finalize, or, with none open, an empty final
// result from_finalize over the audio since the last final.
func (t *translator) finalized(c int, utteranceID string, media float64) []any {
	st := &t.chans[c]
	if utteranceID != "" {
		st.finalized[utteranceID] = true
		return nil
	}
	r := t.results(c, st.lastEnd, media, Alternative{Words: []Word{}})
	r.IsFinal, r.FromFinalize = true, true
	st.lastEnd = max(st.lastEnd, media)
	return []any{r}
}

// closing marks the utterance the stream's end cut on channel c.
func (t *translator) closing(c int, utteranceID string) {
	if utteranceID != "" {
		t.chans[c].closed[utteranceID] = true
	}
}

// metadata is the summary sent after CloseStream.
func (t *translator) metadata(sha string, created time.Time, duration float64, channels int) Metadata {
	mi := t.meta.ModelInfo
	return Metadata{Type: "Metadata", TransactionKey: "deprecated", RequestID: t.meta.RequestID, SHA256: sha,
		Created: created.UTC().Format(time.RFC3339Nano), Duration: round(duration), Channels: channels,
		Models: []string{t.meta.ModelUUID}, ModelInfo: map[string]ModelInfo{t.meta.ModelUUID: mi}}
}
