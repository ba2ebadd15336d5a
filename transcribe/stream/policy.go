package stream

import (
	"fmt"
	"time"

	"github.com/callscribe/callscribe/transcribe"
)

// UtterancePolicy is the streaming policy of one track: it buffers the
// audio of the utterance being spoken, decides when to ask for partial and
// final decodes, stabilises partial hypotheses, and turns final results
// into transcripts after the hallucination guards. It is pure: no clock,
// no goroutines, no I/O; times and results are passed in. It is not safe
// for concurrent use: one goroutine (the track's owner) drives it.
type UtterancePolicy struct {
	cfg Config
	buf audioBuffer
	// fed is set by the first Push, which fixes where the buffer starts.
	fed bool
	// cur is the open utterance, nil between utterances.
	cur *utterance
	// next numbers the next utterance; IDs start at 1.
	next int
	// lastEnd is where the last utterance ended: no later utterance may
	// start before it.
	lastEnd int64
	// pending holds the utterances whose final decode was requested and
	// not yet answered, by utterance ID.
	pending map[string]pendingFinal
	// accepted holds the latest accepted finals in utterance order, for
	// the prompt and the repeat guard.
	accepted []acceptedFinal
	stats    Stats

	// firstPartial is the audio before an utterance's first partial,
	// partialEvery the new audio between the later ones (SetPartialInterval).
	firstPartial, partialEvery, maxUtterance, preRoll int64 // in samples
}

// utterance is the open utterance's state.
type utterance struct {
	id    string
	seq   int
	start int64
	// requestedTo is the end of the audio the last partial request covered
	// (the start until one is made): the cadence counts new speech from it.
	requestedTo int64
	inFlight    bool
	sentAt      time.Time // when the partial in flight was requested
	partials    int       // partial requests made; the latest is number partials
	shown       int       // partials shown
	// win is where the next partial's window starts; from is the window of
	// the latest request.
	win, from window
	stab      stabilizer
	// lastText is the text of the last partial emitted, the prompt for the
	// next utterance if this one's final is late.
	lastText string
}

// NewUtterancePolicy returns a policy for one track, or an error wrapping
// ErrBadConfig.
func NewUtterancePolicy(cfg Config) (*UtterancePolicy, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.WithDefaults()
	return &UtterancePolicy{
		cfg:          cfg,
		next:         1,
		pending:      make(map[string]pendingFinal),
		firstPartial: transcribe.SamplesOf(cfg.PartialInterval),
		partialEvery: transcribe.SamplesOf(cfg.PartialInterval),
		maxUtterance: transcribe.SamplesOf(cfg.MaxUtterance),
		preRoll:      transcribe.SamplesOf(cfg.PreRoll),
	}, nil
}

// SetPartialInterval sets the new speech between two partials of an
// utterance after its first, from the next push on: the pace the pool's
// load allows (package adapt). 0 restores Config.PartialInterval.
func (p *UtterancePolicy) SetPartialInterval(d time.Duration) {
	if d <= 0 {
		d = p.cfg.PartialInterval
	}
	p.partialEvery = transcribe.SamplesOf(d)
}

// Stats returns the policy's counters.
func (p *UtterancePolicy) Stats() Stats { return p.stats }

// Speaking reports whether an utterance is open.
func (p *UtterancePolicy) Speaking() bool { return p.cur != nil }

// Push adds the track's samples starting at position at (samples since the
// call started, 16 kHz). It returns the decodes to request: a partial when
// enough new speech has come in, a final when the utterance outgrew
// MaxUtterance. Samples for positions already pushed are skipped. A gap
// mid-utterance is filled with silence if the utterance stays within
// MaxUtterance, else the utterance is cut at the gap; between utterances a
// gap up to PreRoll is filled and a longer one moves the buffer on.
// samples is copied.
func (p *UtterancePolicy) Push(at int64, samples []float32, now time.Time) []DecodeRequest {
	if !p.fed {
		p.buf.reset(at)
		p.fed = true
	}
	var reqs []DecodeRequest
	if gap := at - p.buf.end(); gap > 0 {
		reqs = p.bridgeGap(at, gap, now)
	}
	p.stats.LateSamples += p.buf.append(at, samples)
	if p.cur == nil {
		// Keep between PreRoll and twice that, so trimming (which copies)
		// happens once per PreRoll of silence rather than on every push.
		if p.buf.len() > 2*p.preRoll {
			p.buf.dropBefore(p.buf.end() - p.preRoll)
		}
		return reqs
	}
	for p.buf.end()-p.cur.start > p.maxUtterance {
		split := p.cur.start + p.maxUtterance
		reqs = append(reqs, p.closeUtterance(split, now)...)
		p.open(split)
		p.stats.ForcedSplits++
	}
	return append(reqs, p.maybePartial(now)...)
}

// bridgeGap handles pushed audio that starts gap samples past the buffer.
// Silence keeps the timeline whole, so that a speech start pointing into
// or before the gap still finds its audio; a gap too long for that resets
// the buffer, or, mid-utterance, ends the utterance where the audio stops.
func (p *UtterancePolicy) bridgeGap(at, gap int64, now time.Time) []DecodeRequest {
	if p.cur == nil {
		if gap <= p.preRoll {
			p.buf.fillSilence(gap)
			p.stats.GapSamples += gap
		} else {
			p.buf.reset(at)
		}
		return nil
	}
	if p.buf.end()+gap-p.cur.start <= p.maxUtterance {
		p.buf.fillSilence(gap)
		p.stats.GapSamples += gap
		return nil
	}
	reqs := p.closeUtterance(p.buf.end(), now)
	p.buf.reset(at)
	p.open(at)
	p.stats.ForcedSplits++
	return reqs
}

// OnSpeechStart opens an utterance at track position at (padding
// included), as the segmenter's SpeechStart reports it. Push the audio up
// to the segmenter's decision first. It may return a partial request
// straight away, since the start lies in the past.
func (p *UtterancePolicy) OnSpeechStart(at int64, now time.Time) ([]DecodeRequest, error) {
	if p.cur != nil {
		return nil, fmt.Errorf("%w: %s open since sample %d, new start at %d", ErrAlreadySpeaking, p.cur.id, p.cur.start, at)
	}
	if at < p.lastEnd {
		return nil, fmt.Errorf("%w: start %d before the previous end %d", ErrOutOfOrder, at, p.lastEnd)
	}
	p.open(at)
	return p.maybePartial(now), nil
}

// OnSpeechEnd closes the open utterance at track position end, as the
// segmenter's SpeechEnd{Start, End} reports it, and returns its final
// decode request (none if no audio was buffered). An end past the audio
// pushed is clamped to it.
func (p *UtterancePolicy) OnSpeechEnd(start, end int64, now time.Time) ([]DecodeRequest, error) {
	if end < start {
		return nil, fmt.Errorf("%w: end %d before start %d", ErrOutOfOrder, end, start)
	}
	if p.cur == nil {
		return nil, fmt.Errorf("%w: end at %d", ErrNotSpeaking, end)
	}
	end = min(end, p.buf.end())
	reqs := p.closeUtterance(end, now)
	// Audio after the end may open the next utterance (a forced split
	// starts it right there); idle trimming bounds it from the next push.
	p.buf.dropBefore(end)
	return reqs, nil
}

// Flush ends the open utterance at the last sample pushed, at hang-up or
// when the stream stops, and returns its final decode request. It does
// nothing between utterances. The policy stays usable, and results of
// finals already requested are still accepted.
func (p *UtterancePolicy) Flush(now time.Time) []DecodeRequest {
	if p.cur == nil {
		return nil
	}
	return p.closeUtterance(p.buf.end(), now)
}

// open starts utterance number p.next at position at.
func (p *UtterancePolicy) open(at int64) {
	if at < p.buf.start {
		p.stats.PreRollShort++
		at = p.buf.start
	}
	p.buf.dropBefore(at)
	p.fed = true
	p.cur = &utterance{
		id:          fmt.Sprintf("%s-%d", p.cfg.Track, p.next),
		seq:         p.next,
		start:       at,
		requestedTo: at,
		win:         window{start: at},
	}
	p.next++
	p.stats.Utterances++
}
