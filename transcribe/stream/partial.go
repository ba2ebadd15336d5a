package stream

import (
	"time"

	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/transcribe"
)

// maybePartial returns a partial request for the open utterance when
// enough new audio came in since the last one (Config.PartialInterval
// until one has been shown, the interval SetPartialInterval set after it)
// and none is in flight. Until one is shown, each request is marked first:
// a first partial the pool dropped or preempted, or the guard rejected,
// is asked again at the short interval, not after a stretched one. One in
// flight longer than PartialTimeout is given up. The request decodes the
// utterance's window (see advanceWindow), with the stable words before it
// as prompt.
func (p *UtterancePolicy) maybePartial(now time.Time) []DecodeRequest {
	u := p.cur
	if u.inFlight {
		if now.Sub(u.sentAt) < p.cfg.PartialTimeout {
			return nil
		}
		u.inFlight = false
		p.stats.PartialTimeouts++
	}
	end := p.buf.end()
	every := p.partialEvery
	if u.shown == 0 {
		every = p.firstPartial
	}
	if end-u.requestedTo < every {
		return nil
	}
	u.requestedTo, u.inFlight, u.sentAt = end, true, now
	u.partials++
	u.from = u.win
	p.stats.PartialRequests++
	p.stats.PartialSamples += end - u.from.start
	return []DecodeRequest{{
		Kind:        transcribe.Partial,
		UtteranceID: u.id,
		Samples:     p.buf.span(u.from.start, end),
		Start:       seconds(u.from.start),
		End:         seconds(end),
		Options:     p.cfg.partialOptions(p.windowPrompt(u)),
		First:       u.shown == 0,
		partial:     u.partials,
	}}
}

// windowPrompt is the stable text before the window of u's next partial,
// its last PromptChars characters: what the decoder reads as said before.
func (p *UtterancePolicy) windowPrompt(u *utterance) string {
	if p.cfg.PromptChars <= 0 || u.from.words == 0 {
		return ""
	}
	return lastChars(joinWords(u.stab.stable[:u.from.words]), p.cfg.PromptChars)
}

// OnPartialResult takes the result of the latest partial request of
// utteranceID and returns the partial to show, or false when there is
// none: the utterance has ended or is unknown (the result is stale), or a
// guard rejected the text. now measures the time the partial spent in
// flight (Stats). Any answer frees the track for its next partial
// request, which the next Push makes once enough new speech has come in.
// OnPartialDecoded also tells the answer of a request given up after
// PartialTimeout from the latest's.
func (p *UtterancePolicy) OnPartialResult(utteranceID string, res transcribe.Result, now time.Time) (Partial, bool) {
	return p.onPartial(utteranceID, 0, res, now)
}

// OnPartialDecoded is OnPartialResult for the answer to req: an answer to
// an earlier request of the utterance than its latest is stale.
func (p *UtterancePolicy) OnPartialDecoded(req DecodeRequest, res transcribe.Result, now time.Time) (Partial, bool) {
	return p.onPartial(req.UtteranceID, req.partial, res, now)
}

// onPartial handles the answer to partial request number seq of
// utteranceID (0: the latest).
func (p *UtterancePolicy) onPartial(utteranceID string, seq int, res transcribe.Result, now time.Time) (Partial, bool) {
	u := p.cur
	if u == nil || u.id != utteranceID || (seq != 0 && seq != u.partials) {
		p.stats.PartialsStale++
		return Partial{}, false
	}
	if u.inFlight {
		p.stats.PartialWait += now.Sub(u.sentAt)
		u.inFlight = false
	}
	from, end := seconds(u.from.start), seconds(u.requestedTo)
	kept, reason, _ := p.cfg.Guard.Judge(Candidate{
		Result: res,
		Audio:  duration(u.requestedTo - u.from.start),
		Start:  from,
	})
	if reason != Keep {
		p.stats.PartialsDropped.add(reason)
		return Partial{}, false
	}
	u.stab.updateFrom(hypothesisOf(kept, from, end), u.from.words)
	p.advanceWindow(u)
	stable, tail := u.stab.stable, u.stab.tail
	all := make([]event.Word, 0, len(stable)+len(tail))
	all = append(append(all, stable...), tail...)
	part := Partial{
		Track:       p.cfg.Track,
		UtteranceID: u.id,
		Text:        joinWords(all),
		StableText:  joinWords(stable),
		Start:       seconds(u.start),
		End:         end,
		Words:       all,
	}
	u.lastText = part.Text
	u.shown++
	p.stats.Partials++
	return part, true
}

// OnDecodeFailed reports that req was not answered with a result: the pool
// dropped or replaced a partial, or a decode failed. A failed partial frees
// the track for the next one. A failed final is given up and counted; to
// keep the utterance, resubmit req and report its result instead.
func (p *UtterancePolicy) OnDecodeFailed(req DecodeRequest) {
	if req.Kind == transcribe.Final {
		if _, ok := p.pending[req.UtteranceID]; ok {
			delete(p.pending, req.UtteranceID)
			p.stats.FinalsFailed++
		}
		return
	}
	p.stats.PartialsFailed++
	if u := p.cur; u != nil && u.id == req.UtteranceID && (req.partial == 0 || req.partial == u.partials) {
		u.inFlight = false
	}
}

// duration converts a count of 16 kHz samples to a duration.
func duration(n int64) time.Duration {
	return time.Duration(n) * time.Second / transcribe.SampleRate
}
