package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/transcribe"
	"github.com/callscribe/callscribe/transcribe/segment"
	"github.com/callscribe/callscribe/transcribe/stream"
	"github.com/callscribe/callscribe/transcribe/vad"
)

// errClosed answers a Write after Close.
var errClosed = errors.New("pipeline: track closed")

// maxPendingFinals bounds the finals of one track waiting for its final
// goroutine. A track produces one per utterance; reaching this means the
// pool is minutes behind, and the track's goroutine then waits (taking
// decode results meanwhile, see queueFinal) while its audio queue fills.
const maxPendingFinals = 256

type chunk struct {
	pos     int64
	samples []float32
	at      time.Time
}

type result struct {
	req stream.DecodeRequest
	res transcribe.Result
	err error
	// spec, on a final, delivers the speculative decode of the same span
	// started during the pause; speculated marks a final answered by it.
	spec       <-chan result
	speculated bool
}

// speculation is an utterance's final being decoded during a pause, before
// the silence that ends the utterance is confirmed.
type speculation struct {
	id     string
	stop   int64 // where speech stopped: the pause it was made for
	cancel context.CancelFunc
	done   chan result // buffered 1, read once
	// started is set once a worker took the decode: until then a final
	// would wait for it behind other decodes, so it is better replaced.
	started atomic.Bool
	// finished is set once the track has read the answer into res.
	finished bool
	res      result
}

// track is one track's pipeline. Its run goroutine owns the detector,
// segmenter and policy.
type track struct {
	t      *Transcriber
	info   bridge.TrackInfo
	emit   func(event.Event)
	key    string
	log    *slog.Logger
	policy *stream.UtterancePolicy
	seg    *segment.Segmenter
	det    *vad.Detector

	in       chan chunk
	finalize chan struct{}
	reports  finalizeReports // what waits to hear what a Finalize ended
	closing  chan struct{}
	closed   sync.Once
	done     chan struct{}
	results  chan result
	finals   chan result
	finalsOK chan struct{} // closed when the finals goroutine exits

	// decodeCtx outlives the transport's context: a hang-up must not
	// abort the finals of what was said. Close cancels it only when its
	// own deadline passes.
	decodeCtx    context.Context
	cancelDecode context.CancelFunc

	win      []float32 // the VAD window being filled
	winStart int64
	expect   int64 // the position the next chunk should start at
	started  bool
	events   []segment.Event
	arrivals []arrival
	inFlight bool // a partial is being decoded
	// shown holds the utterances with a partial emitted and no final yet.
	shown      map[string]bool
	cancelPart context.CancelFunc
	spec       *speculation // the open utterance's speculative final, if any
	lastFinal  string       // the utterance of the last final requested

	// In samples: the segmenter's padding after speech, the silence after
	// which a speculation starts, and the silence that ends an utterance
	// whose speculation reads as a finished sentence (0: never early).
	pad, specAfter, earlyEnd int64
	// earlyEnds counts utterances ended by a finished sentence.
	earlyEnds int
	// prefixRetries counts finals decoded again by recoverPrefix; the
	// finals goroutine writes it, the track reads it once that has ended.
	prefixRetries int
}

// arrival records when the audio up to end arrived.
type arrival struct {
	end int64
	at  time.Time
}

func newTrack(t *Transcriber, info bridge.TrackInfo, emit func(event.Event), policy *stream.UtterancePolicy, seg *segment.Segmenter) *track {
	ctx, cancel := context.WithCancel(context.Background())
	return &track{
		t: t, info: info, emit: emit, key: info.CallID + "/" + info.Track,
		log:    t.log.With("call_id", info.CallID, "track", info.Track),
		policy: policy, seg: seg, det: t.vad.NewDetector(),
		in: make(chan chunk, t.cfg.QueueChunks), finalize: make(chan struct{}, 1),
		closing: make(chan struct{}), done: make(chan struct{}),
		results: make(chan result, 2), finals: make(chan result, t.finalsQueue), finalsOK: make(chan struct{}),
		decodeCtx: ctx, cancelDecode: cancel,
		win: make([]float32, 0, vad.WindowSamples), shown: map[string]bool{},
	}
}

// Write queues audio; it never waits for transcription.
func (tr *track) Write(pos int64, samples []float32) error {
	select {
	case <-tr.closing:
		return errClosed
	default:
	}
	c := chunk{pos: pos, samples: append([]float32(nil), samples...), at: tr.t.clock.Now()}
	select {
	case tr.in <- c:
		return nil
	default:
		return fmt.Errorf("%w: %s: %d chunks of audio waiting", ErrOverloaded, tr.key, cap(tr.in))
	}
}

// Close ends the track and waits until its last final was emitted, or ctx
// ends (then the decodes still running are aborted).
func (tr *track) Close(ctx context.Context) error {
	tr.closed.Do(func() { close(tr.closing) })
	select {
	case <-tr.done:
		return nil
	case <-ctx.Done():
		tr.cancelDecode()
		<-tr.done
		return fmt.Errorf("pipeline: %s: last finals not done: %w", tr.key, ctx.Err())
	}
}

func (tr *track) run() {
	defer close(tr.done)
	defer tr.t.tracks.Add(-1)
	defer tr.cancelDecode()
	for {
		// A speculation's answer is read here, so that a finished sentence
		// can end its utterance before the silence would.
		var specDone <-chan result
		if sp := tr.spec; sp != nil && !sp.finished {
			specDone = sp.done
		}
		select {
		case c := <-tr.in:
			tr.audio(c) //nolint:contextcheck // decodes run on decodeCtx: a hang-up must not abort the finals of what was said
		case r := <-tr.results:
			tr.result(r)
		case r := <-specDone:
			tr.spec.finished, tr.spec.res = true, r
			tr.endEarly() //nolint:contextcheck // as above
		case <-tr.finalize:
			tr.finalizeNow() //nolint:contextcheck // as above
		case <-tr.closing:
			tr.shutdown() //nolint:contextcheck // as above
			return
		}
	}
}

// shutdown processes the audio still queued, ends the utterance in
// progress and waits for every final to be decoded and emitted.
func (tr *track) shutdown() {
	for drained := false; !drained; {
		select {
		case c := <-tr.in:
			tr.audio(c)
		default:
			drained = true
		}
	}
	tr.lastFinal = ""
	tr.endUtterance()
	tr.reports.answer(tr.lastFinal)
	tr.dropSpeculation()
	if tr.cancelPart != nil {
		tr.cancelPart() // a partial of an ended utterance is worthless
	}
	close(tr.finals)
	for finalsDone := false; !finalsDone || tr.inFlight; {
		select {
		case r := <-tr.results:
			tr.result(r)
		case <-tr.finalsOK:
			finalsDone = true
			tr.finalsOK = nil
		}
	}
	// The finals goroutine queued its last results before it exited, and
	// the select above may have seen the exit first.
	for drained := false; !drained; {
		select {
		case r := <-tr.results:
			tr.result(r)
		default:
			drained = true
		}
	}
	st := tr.policy.Stats()
	tr.log.Info("track ended", "finals", st.Finals, "partials", st.Partials, "early_ends", tr.earlyEnds, "prefix_retries", tr.prefixRetries,
		"partial_audio_s", fmt.Sprintf("%.1f", float64(st.PartialSamples)/transcribe.SampleRate))
}

// runFinals decodes the track's finals one after another, in order.
func (tr *track) runFinals() {
	defer close(tr.finalsOK)
	for r := range tr.finals {
		began := tr.t.clock.Now()
		if r.spec != nil {
			// The decode started during the pause; if it was preempted or
			// failed, the final is decoded as usual.
			if sr := <-r.spec; sr.err == nil {
				r.res, r.speculated = sr.res, true
			}
		}
		if !r.speculated {
			// What a final may spend is decided when it goes to the
			// pool, which may be a while after its request was made.
			d := tr.t.decide()
			r.req.Options.BeamSize, r.req.Options.Threads = d.FinalBeamSize, d.FinalThreads
			r.res, r.err = tr.decodeFinal(r.req)
		}
		if r.err == nil && stream.LostPrefix(r.req.Shown, r.res.Text()) {
			r.res = tr.recoverPrefix(r.req, r.res)
		}
		tr.log.Debug("final decoded", "utterance_id", r.req.UtteranceID, "audio_s", fmt.Sprintf("%.2f", r.req.End-r.req.Start),
			"wait_ms", tr.t.clock.Now().Sub(began).Milliseconds(), "speculated", r.speculated, "redecoded", r.res.Redecoded, "err", r.err)
		tr.results <- r
	}
}

// recoverPrefix decodes again a final that lost the first word its
// partials showed (stream.LostPrefix), with beam search and at least
// prefixRetryCtx frames of encoder context, and keeps the new result if it
// has them. It runs on the finals goroutine; the extra decode is rare (the
// load bench's greedy finals under load lost first words in a few of a
// hundred utterances).
func (tr *track) recoverPrefix(req stream.DecodeRequest, lost transcribe.Result) transcribe.Result {
	again := req
	again.Options.BeamSize = max(again.Options.BeamSize, prefixRetryBeam)
	if c := again.Options.AudioCtx; c > 0 && c < prefixRetryCtx {
		again.Options.AudioCtx = prefixRetryCtx
	}
	res, err := tr.t.pool.Submit(tr.decodeCtx, again.Job(tr.key))
	found := err == nil && !stream.LostPrefix(req.Shown, res.Text())
	tr.prefixRetries++
	tr.log.Debug("final lost its first words: decoded again", "utterance_id", req.UtteranceID,
		"final", lost.Text(), "shown", req.Shown, "again", res.Text(), "kept", found, "err", err)
	if !found {
		return lost
	}
	return res
}

// prefixRetryBeam and prefixRetryCtx are the beam width and the least
// encoder context (20 ms frames) of a final decoded again by
// recoverPrefix: the service's finals with room to spare, and the context
// its loop retries use.
const (
	prefixRetryBeam = 5
	prefixRetryCtx  = 512
)

// decodeFinal decodes a final, and once more if the decode failed for any
// reason but the track's end or the pool's: a final is what the user
// keeps. It runs on the finals goroutine, so the retry never holds up the
// track's audio.
func (tr *track) decodeFinal(req stream.DecodeRequest) (transcribe.Result, error) {
	res, err := tr.t.pool.Submit(tr.decodeCtx, req.Job(tr.key))
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, transcribe.ErrClosed) {
		return res, err
	}
	tr.log.Warn("final decode failed, retrying", "utterance_id", req.UtteranceID, "err", err)
	return tr.t.pool.Submit(tr.decodeCtx, req.Job(tr.key))
}
