package stream

import (
	"strings"
	"time"

	"github.com/callscribe/callscribe/transcribe"
)

// historyLen bounds the accepted finals kept: only the latest before a
// given utterance is ever used, and finals come back at most a few
// utterances out of order.
const historyLen = 4

// pendingFinal is an utterance whose final decode is in flight.
type pendingFinal struct {
	seq         int
	start, end  int64
	speechEndAt time.Time
	lastText    string // last partial shown, the prompt stand-in
}

// acceptedFinal is a final that passed the guards.
type acceptedFinal struct {
	seq  int
	text string
	end  float64 // call seconds
}

// closeUtterance ends the open utterance at position end and returns its
// final request, unless it holds no audio. Clearing p.cur here is what
// makes the final exactly-once: nothing else closes an utterance.
func (p *UtterancePolicy) closeUtterance(end int64, now time.Time) []DecodeRequest {
	u := p.cur
	p.cur = nil
	p.lastEnd = end
	if end <= u.start {
		p.stats.EmptyUtterances++
		return nil
	}
	prompt := p.promptFor(u.seq)
	p.pending[u.id] = pendingFinal{seq: u.seq, start: u.start, end: end, speechEndAt: now, lastText: u.lastText}
	p.stats.FinalRequests++
	return []DecodeRequest{{
		Kind:        transcribe.Final,
		UtteranceID: u.id,
		Samples:     p.buf.span(u.start, end),
		Start:       seconds(u.start),
		End:         seconds(end),
		Options:     p.cfg.finalOptions(prompt),
		Shown:       u.lastText,
	}}
}

// Speculate returns the final request the open utterance would get if it
// ended at position end, without ending it: the segmenter's forecast
// during a pause (segment.Segmenter.Pause). Decoding it while the silence
// is still being confirmed makes the final ready as soon as the end is
// known; the caller keeps the result only if OnSpeechEnd then returns a
// final request with the same UtteranceID and End. The request's Kind is
// transcribe.Speculative. It reports false between utterances or when end
// lies outside the audio pushed.
func (p *UtterancePolicy) Speculate(end int64) (DecodeRequest, bool) {
	u := p.cur
	if u == nil || end <= u.start || end > p.buf.end() {
		return DecodeRequest{}, false
	}
	p.stats.Speculations++
	return DecodeRequest{
		Kind:        transcribe.Speculative,
		UtteranceID: u.id,
		Samples:     p.buf.span(u.start, end),
		Start:       seconds(u.start),
		End:         seconds(end),
		Options:     p.cfg.finalOptions(p.promptFor(u.seq)),
	}, true
}

// promptFor returns the prompt for utterance seq's final, if PromptFinals
// is set: the previous
// utterance's final text, or, while that final is still being decoded, the
// last partial it showed; failing both, the latest accepted final before
// seq. It keeps the last PromptChars characters, from a word start.
func (p *UtterancePolicy) promptFor(seq int) string {
	if !p.cfg.PromptFinals || p.cfg.PromptChars <= 0 {
		return ""
	}
	text := ""
	if prev := p.previousFinal(seq); prev != nil {
		text = prev.Text
	}
	for _, pf := range p.pending {
		if pf.seq == seq-1 && pf.lastText != "" {
			text = pf.lastText
		}
	}
	return lastChars(text, p.cfg.PromptChars)
}

// previousFinal returns the latest accepted final of an utterance before
// seq, or nil.
func (p *UtterancePolicy) previousFinal(seq int) *PreviousFinal {
	for i := len(p.accepted) - 1; i >= 0; i-- {
		if a := p.accepted[i]; a.seq < seq {
			return &PreviousFinal{Text: a.text, End: a.end}
		}
	}
	return nil
}

// OnFinalResult takes the result of utteranceID's final decode and returns
// its Final, or false when it is not to be emitted: the guards rejected it
// (Final.Dropped says why) or no final of that ID is pending (a duplicate
// answer). now measures the final's latency (Stats).
func (p *UtterancePolicy) OnFinalResult(utteranceID string, res transcribe.Result, now time.Time) (Final, bool) {
	pf, ok := p.pending[utteranceID]
	if !ok {
		p.stats.FinalsStale++
		return Final{}, false
	}
	delete(p.pending, utteranceID)
	p.stats.FinalWait += now.Sub(pf.speechEndAt)
	start, end := seconds(pf.start), seconds(pf.end)
	fin := Final{Track: p.cfg.Track, UtteranceID: utteranceID, Start: start, End: end, SpeechEndAt: pf.speechEndAt}
	kept, reason, removed := p.cfg.Guard.Judge(Candidate{
		Result:   res,
		Audio:    duration(pf.end - pf.start),
		Start:    start,
		Previous: p.previousFinal(pf.seq),
	})
	if reason != Keep {
		p.stats.FinalsDropped.add(reason)
		fin.Dropped = reason
		return fin, false
	}
	p.stats.SegmentsDropped += removed
	fin.Text = kept.Text()
	fin.Words = CallWords(kept, start, start, end)
	fin.Confidence = meanConfidence(fin.Words)
	p.remember(acceptedFinal{seq: pf.seq, text: fin.Text, end: end})
	p.stats.Finals++
	return fin, true
}

// remember inserts a in utterance order, keeping the latest historyLen.
func (p *UtterancePolicy) remember(a acceptedFinal) {
	i := len(p.accepted)
	for i > 0 && p.accepted[i-1].seq > a.seq {
		i--
	}
	p.accepted = append(p.accepted[:i], append([]acceptedFinal{a}, p.accepted[i:]...)...)
	if len(p.accepted) > historyLen {
		p.accepted = p.accepted[len(p.accepted)-historyLen:]
	}
}

// lastChars returns the end of text, at most n characters, starting at a
// word so the decoder is not primed with half a word.
func lastChars(text string, n int) string {
	r := []rune(strings.TrimSpace(text))
	if len(r) <= n {
		return string(r)
	}
	tail := string(r[len(r)-n:])
	if i := strings.IndexByte(tail, ' '); i >= 0 && r[len(r)-n-1] != ' ' {
		tail = tail[i+1:]
	}
	return strings.TrimSpace(tail)
}
