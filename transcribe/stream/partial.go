package stream

import (
	"time"

	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/transcribe"
)

// maybePartial returns a partial request for the open utterance when at
// least PartialInterval of new audio came in since the last one and none
// is in flight. One in flight longer than PartialTimeout is given up.
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
	if end-u.requestedTo < p.partialEvery {
		return nil
	}
	u.requestedTo, u.inFlight, u.sentAt = end, true, now
	p.stats.PartialRequests++
	return []DecodeRequest{{
		Kind:        transcribe.Partial,
		UtteranceID: u.id,
		Samples:     p.buf.span(u.start, end),
		Start:       seconds(u.start),
		End:         seconds(end),
		Options:     p.cfg.partialOptions(),
	}}
}

// OnPartialResult takes the result of a partial decode of utteranceID and
// returns the partial to show, or false when there is none: the utterance
// has ended or is unknown (the result is stale), or a guard rejected the
// text. now measures the time the partial spent in flight (Stats).
// Any answer frees the track for its next partial request, which the
// next Push makes once enough new speech has come in.
func (p *UtterancePolicy) OnPartialResult(utteranceID string, res transcribe.Result, now time.Time) (Partial, bool) {
	u := p.cur
	if u == nil || u.id != utteranceID {
		p.stats.PartialsStale++
		return Partial{}, false
	}
	if u.inFlight {
		p.stats.PartialWait += now.Sub(u.sentAt)
		u.inFlight = false
	}
	start, end := seconds(u.start), seconds(u.requestedTo)
	kept, reason, _ := p.cfg.Guard.Judge(Candidate{
		Result: res,
		Audio:  duration(u.requestedTo - u.start),
		Start:  start,
	})
	if reason != Keep {
		p.stats.PartialsDropped.add(reason)
		return Partial{}, false
	}
	stable, tail := u.stab.update(hypothesisOf(kept, start, end))
	all := make([]event.Word, 0, len(stable)+len(tail))
	all = append(append(all, stable...), tail...)
	part := Partial{
		Track:       p.cfg.Track,
		UtteranceID: u.id,
		Text:        joinWords(all),
		StableText:  joinWords(stable),
		Start:       start,
		End:         end,
		Words:       all,
	}
	u.lastText = part.Text
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
	if u := p.cur; u != nil && u.id == req.UtteranceID {
		u.inFlight = false
	}
}

// duration converts a count of 16 kHz samples to a duration.
func duration(n int64) time.Duration {
	return time.Duration(n) * time.Second / transcribe.SampleRate
}
