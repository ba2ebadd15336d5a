package pipeline

import (
	"context"
	"slices"
	"time"

	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/transcribe"
	"github.com/callscribe/callscribe/transcribe/adapt"
	"github.com/callscribe/callscribe/transcribe/segment"
	"github.com/callscribe/callscribe/transcribe/stream"
	"github.com/callscribe/callscribe/transcribe/vad"
)

// arrivalsKept bounds the arrival log: about 40 s of 20 ms frames, longer
// than any utterance end lies in the past when the segmenter reports it.
const arrivalsKept = 2048

// audio feeds one chunk to the policy and the VAD.
func (tr *track) audio(c chunk) {
	tr.arrivals = append(tr.arrivals, arrival{end: c.pos + int64(len(c.samples)), at: c.at})
	if len(tr.arrivals) > arrivalsKept {
		tr.arrivals = append(tr.arrivals[:0], tr.arrivals[len(tr.arrivals)-arrivalsKept/2:]...)
	}
	d := tr.t.decide()
	tr.policy.SetPartialInterval(d.PartialInterval)
	tr.submit(tr.policy.Push(c.pos, c.samples, c.at))

	if !tr.started || c.pos != tr.expect {
		// First audio, or a gap too long to fill: start the VAD afresh.
		tr.started = true
		tr.win = tr.win[:0]
		tr.winStart = c.pos
		tr.det.Reset()
	}
	tr.expect = c.pos + int64(len(c.samples))
	s := c.samples
	for len(s) > 0 {
		n := min(vad.WindowSamples-len(tr.win), len(s))
		tr.win = append(tr.win, s[:n]...)
		s = s[n:]
		if len(tr.win) < vad.WindowSamples {
			break
		}
		prob, err := tr.det.Window(tr.win)
		if err != nil {
			tr.log.Error("vad", "err", err)
		}
		w := segment.Window{Start: tr.winStart, Samples: len(tr.win), Prob: prob, Energy: segment.Energy(tr.win)}
		tr.events = tr.seg.Push(tr.events[:0], w)
		tr.boundaries(c.at)
		tr.speculate(d)
		tr.winStart += int64(len(tr.win))
		tr.win = tr.win[:0]
	}
}

// boundaries hands the segmenter's decisions to the policy.
func (tr *track) boundaries(now time.Time) {
	for _, ev := range tr.events {
		var reqs []stream.DecodeRequest
		var err error
		switch e := ev.(type) {
		case segment.SpeechStart:
			reqs, err = tr.policy.OnSpeechStart(e.At, now)
		case segment.SpeechEnd:
			// Latency counts from when the end of speech arrived, not from
			// when the silence after it confirmed the end.
			reqs, err = tr.policy.OnSpeechEnd(e.Start, e.End, tr.arrivalOf(e.End, now))
		}
		if err != nil {
			tr.log.Warn("segment boundary", "err", err)
		}
		tr.submit(reqs)
	}
}

// arrivalOf returns when the audio at pos arrived (now if unknown).
func (tr *track) arrivalOf(pos int64, now time.Time) time.Time {
	for _, a := range tr.arrivals {
		if a.end >= pos {
			return a.at
		}
	}
	return now
}

// endUtterance closes the utterance in progress (Finalize, hang-up).
func (tr *track) endUtterance() {
	now := tr.t.clock.Now()
	tr.events = tr.seg.Flush(tr.events[:0])
	tr.boundaries(now)
	tr.seg.Reset()
	tr.submit(tr.policy.Flush(now))
}

// speculate starts decoding the open utterance's final while the segmenter
// confirms a pause, so the final is ready when the pause turns out to end
// the utterance: the silence it waits for then overlaps the decode instead
// of preceding it. It starts once the silence has lasted SpeculateAfter,
// when the load policy allows (d), and drops a speculation once speech
// resumes. The pool runs it on a worker no final needs, preempting a
// partial if it must.
func (tr *track) speculate(d adapt.Decision) {
	stop, silence, ok := tr.seg.Stopped()
	if sp := tr.spec; sp != nil {
		if ok && sp.stop == stop {
			tr.endEarly()
			return
		}
		tr.dropSpeculation()
	}
	if !ok || tr.t.cfg.DisableSpeculation || !d.Speculate || silence < tr.specAfter {
		return // the next window asks again
	}
	req, ok := tr.policy.Speculate(stop + min(silence, tr.pad))
	if !ok {
		return
	}
	// The final will end at the stop plus the padding, which has not all
	// come in yet: the rest is silence so far, and silence it must stay
	// for the speculation to count, so it is decoded as silence.
	if short := int(stop + tr.pad - transcribe.PositionOf(req.End)); short > 0 {
		req.Samples = slices.Concat(req.Samples, make([]float32, short))
		req.End += float64(short) / transcribe.SampleRate
	}
	req.Options.BeamSize, req.Options.Threads = d.FinalBeamSize, d.FinalThreads
	ctx, cancel := context.WithCancel(tr.decodeCtx)
	sp := &speculation{id: req.UtteranceID, stop: stop, cancel: cancel, done: make(chan result, 1)}
	tr.spec = sp
	job := req.Job(tr.key)
	job.Started = func() { sp.started.Store(true) }
	go func() {
		defer cancel()
		res, err := tr.t.pool.Submit(ctx, job)
		sp.done <- result{req: req, res: res, err: err}
	}()
}

// endEarly ends the open utterance at its pause once the pause's
// speculative final reads as a finished sentence and the silence has
// lasted EarlyEnd, rather than waiting for the segmenter's MinSilence:
// the final leaves sooner, and a speaker who goes on starts a new
// utterance, decoded with this one as its prompt.
func (tr *track) endEarly() {
	sp := tr.spec
	if sp == nil || !sp.finished || sp.res.err != nil || tr.earlyEnd == 0 || !stream.EndsSentence(sp.res.res.Text()) {
		return
	}
	stop, silence, ok := tr.seg.Stopped()
	if !ok || stop != sp.stop || silence < tr.earlyEnd {
		return
	}
	events, ok := tr.seg.EndPause(tr.events[:0])
	if !ok {
		return
	}
	tr.events = events
	tr.earlyEnds++
	tr.boundaries(tr.t.clock.Now())
}

// dropSpeculation abandons the speculative final, if any.
func (tr *track) dropSpeculation() {
	if tr.spec != nil {
		tr.spec.cancel()
		tr.spec = nil
	}
}

// queueFinal hands a final to the finals goroutine. When its queue is full
// (the pool is minutes behind) the track waits, but keeps taking decode
// results meanwhile: the finals goroutine and the partial decodes deliver
// to tr.results, and would otherwise wait for this goroutine forever.
func (tr *track) queueFinal(r result) {
	for {
		select {
		case tr.finals <- r:
			return
		case res := <-tr.results:
			tr.result(res)
		}
	}
}

// submit starts the decodes the policy asked for.
func (tr *track) submit(reqs []stream.DecodeRequest) {
	for _, req := range reqs {
		if req.Kind == transcribe.Final {
			tr.lastFinal = req.UtteranceID
			r := result{req: req}
			// A speculation still alive was made for this pause (speech
			// resuming drops it); it counts unless the final reaches past
			// the pause's padding (a split at the utterance's maximum). One
			// that no worker has taken yet waits among the partials: the
			// final goes to the pool as a final instead.
			if sp := tr.spec; sp != nil && sp.id == req.UtteranceID && transcribe.PositionOf(req.End) <= sp.stop+tr.pad {
				switch {
				case sp.finished:
					answered := make(chan result, 1)
					answered <- sp.res
					r.spec, tr.spec = answered, nil
				case sp.started.Load():
					r.spec, tr.spec = sp.done, nil
				}
			}
			tr.dropSpeculation()
			tr.queueFinal(r)
			continue
		}
		if !tr.info.Partials {
			tr.policy.OnDecodeFailed(req)
			continue
		}
		ctx, cancel := context.WithTimeout(tr.decodeCtx, tr.t.cfg.Stream.PartialTimeout)
		tr.inFlight, tr.cancelPart = true, cancel
		go func() {
			defer cancel()
			res, err := tr.t.pool.Submit(ctx, req.Job(tr.key))
			tr.results <- result{req: req, res: res, err: err}
		}()
	}
}

// result handles a decode's outcome.
func (tr *track) result(r result) {
	now := tr.t.clock.Now()
	if r.req.Kind == transcribe.Partial {
		tr.inFlight = false
		if r.err != nil {
			tr.policy.OnDecodeFailed(r.req)
			return
		}
		if p, ok := tr.policy.OnPartialDecoded(r.req, r.res, now); ok {
			if !tr.shown[p.UtteranceID] && tr.t.cfg.FirstPartial != nil {
				tr.t.cfg.FirstPartial(now.Sub(tr.arrivalOf(transcribe.PositionOf(p.Start), now)))
			}
			tr.shown[p.UtteranceID] = true
			tr.emit(tr.shift(p.Event()))
		}
		return
	}
	if r.err != nil {
		tr.log.Error("final lost", "utterance_id", r.req.UtteranceID, "err", r.err)
		tr.policy.OnDecodeFailed(r.req)
		return
	}
	f, ok := tr.policy.OnFinalResult(r.req.UtteranceID, r.res, now)
	shown := tr.shown[r.req.UtteranceID]
	delete(tr.shown, r.req.UtteranceID)
	if !ok {
		if f.UtteranceID == "" {
			return // a stale answer
		}
		tr.log.Debug("final dropped by guard", "utterance_id", f.UtteranceID, "reason", f.Dropped)
		if !shown {
			return
		}
		// Clients showed partials of this utterance: an empty final tells
		// them to take the preview down.
		f.Text, f.Words, f.Confidence = "", nil, 0
	}
	tr.emit(tr.shift(f.Event(tr.t.clock.Now())))
}

// shift moves an event's times from the stream's clock to the call's (a
// reconnected stream starts at its offset in the call) and makes its
// utterance ID unique in the call.
func (tr *track) shift(e event.Event) event.Event {
	off := tr.info.Offset
	e.StreamID = tr.info.StreamID
	if off == 0 {
		return e
	}
	// The policy numbers utterances per stream; a reconnected stream's
	// IDs carry its stream ID so they never collide with the first's.
	e.UtteranceID = tr.info.StreamID + "/" + e.UtteranceID
	e.Start += off
	e.End += off
	for i := range e.Words {
		e.Words[i].Start += off
		e.Words[i].End += off
	}
	return e
}
