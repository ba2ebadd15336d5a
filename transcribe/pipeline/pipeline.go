// Package pipeline turns a track's live audio into transcript events: Silero
// VAD and the segmenter find utterances, the streaming policy decides what
// to decode, the shared Pool decodes, and the policy's partials and finals
// leave as events. It implements bridge.Transcriber, so transports hand it
// audio without knowing any of this.
//
// Each track has one goroutine that owns its VAD, segmenter and policy (all
// pure, none safe for concurrent use), one goroutine for its finals (run in
// order, never dropped) and at most one partial decode in flight.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/clock"
	"github.com/callscribe/callscribe/bridge/config"
	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/transcribe"
	"github.com/callscribe/callscribe/transcribe/adapt"
	"github.com/callscribe/callscribe/transcribe/segment"
	"github.com/callscribe/callscribe/transcribe/stream"
	"github.com/callscribe/callscribe/transcribe/vad"
)

// Errors of the pipeline.
var (
	// ErrOverloaded reports that the service is at capacity: a new call is
	// refused, or a track's audio queue is full.
	ErrOverloaded = errors.New("pipeline: overloaded")
	// ErrBadConfig reports a Config that New cannot work with.
	ErrBadConfig = errors.New("pipeline: invalid config")
)

// Config tunes the pipeline. Zero fields take the defaults listed with
// them (see WithDefaults).
type Config struct {
	// Stream is the streaming policy template; Track and Language are set
	// per track. Its PartialTimeout also bounds a partial's decode.
	Stream stream.Config
	// Segment tunes utterance segmentation.
	Segment segment.Config
	// Language is the default decode language. Default "en".
	Language string
	// QueueChunks bounds a track's audio waiting for its goroutine (one
	// chunk is one transport frame, 20 ms for Twilio). VAD costs about 1%
	// of a core per track, so the queue only fills when the machine is
	// starved; Write then fails and the transport closes the stream.
	// Default 1000.
	QueueChunks int
	// MaxTracks refuses new calls once this many tracks are open; 0 sets
	// no limit besides the pool's backlog.
	MaxTracks int
	// MaxFinalBacklog refuses new calls while more finals than this wait
	// for a worker: existing calls keep their latency. Default 4 per
	// worker.
	MaxFinalBacklog int
	// Adapt is the load-aware policy: what partials, finals and
	// speculation may spend as the pool's load changes (package adapt).
	// Its pinned fields, set from settings the operator gave explicitly,
	// hold at every load; Stream's FinalBeamSize and Threads are then
	// only what a decode gets without the policy.
	Adapt adapt.Config
	// DisableSpeculation turns speculative finals off. By default an
	// utterance's final is decoded during the pause that may end it, when
	// the load policy allows, so the final leaves as soon as the silence
	// confirms the end. It costs a wasted decode when speech resumes; the
	// pool preempts it for any real final.
	DisableSpeculation bool
	// SpeculateAfter is the silence after which a pause's speculative
	// final starts. The decode then overlaps the rest of the silence that
	// ends the utterance; shorter starts more speculations that speech
	// resumes over. Default 150 ms.
	SpeculateAfter time.Duration
	// EarlyEnd is the silence that ends an utterance whose speculative
	// final reads as a finished sentence (stream.EndsSentence), instead of
	// Segment.MinSilence: the pause is confirmed by what was said, and the
	// final leaves sooner. It is never shorter than the segmenter's
	// padding. Tracks that ask for their own end silence
	// (bridge.TrackInfo.EndSilence) wait for it. Default 300 ms; negative
	// turns it off.
	EarlyEnd time.Duration
	// FirstPartial, when set, is told each utterance's time to first
	// text: from the arrival of the audio where the utterance starts (its
	// start as its events report it, the segmenter's pad included) to the
	// emission of its first partial. Only the track knows when audio
	// arrived, so the events cannot carry it. It is called on the track's
	// goroutine and must return at once.
	FirstPartial func(time.Duration)
	// Clock stamps audio arrivals and events. Default clock.System().
	Clock clock.Clock
	// Logger receives the pipeline's logs, with call_id and track.
	// Default slog.Default().
	Logger *slog.Logger
}

// WithDefaults returns c with every zero field set to its default.
func (c Config) WithDefaults() Config {
	config.Default(&c.Language, "en")
	config.Default(&c.QueueChunks, 1000)
	config.Default(&c.SpeculateAfter, 150*time.Millisecond)
	config.Default(&c.EarlyEnd, 300*time.Millisecond)
	config.Default(&c.Stream.Track, "track") // set per track; a placeholder to validate
	// The padding after speech is half the end silence at most, 250 ms at
	// 500 ms; before speech it may be longer, and Silero scores telephone
	// onsets up to a quarter of a second late (the load bench lost an
	// utterance's first word with 250 ms).
	config.Default(&c.Segment.LeadPad, 300*time.Millisecond)
	c.Stream = c.Stream.WithDefaults()
	c.Segment = c.Segment.WithDefaults()
	c.Clock = clock.Or(c.Clock)
	c.Logger = config.Logger(c.Logger)
	return c
}

// Validate reports what is wrong with c once defaults are applied,
// wrapping ErrBadConfig (or the stream and segment packages' errors).
func (c Config) Validate() error {
	c = c.WithDefaults()
	switch {
	case c.QueueChunks < 0:
		return fmt.Errorf("%w: QueueChunks %d must be positive", ErrBadConfig, c.QueueChunks)
	case c.SpeculateAfter < 0:
		return fmt.Errorf("%w: SpeculateAfter %v must not be negative", ErrBadConfig, c.SpeculateAfter)
	case c.MaxTracks < 0 || c.MaxFinalBacklog < 0:
		return fmt.Errorf("%w: MaxTracks %d and MaxFinalBacklog %d must not be negative", ErrBadConfig, c.MaxTracks, c.MaxFinalBacklog)
	case c.Segment.MinSilence < minEndSilence || c.Segment.MinSilence > maxEndSilence:
		// Under 400 ms telephone speech splits inside words; over 2 s every
		// final waits too long.
		return fmt.Errorf("%w: Segment.MinSilence (the silence that ends an utterance) must be 400ms..2s, got %v", ErrBadConfig, c.Segment.MinSilence)
	}
	if err := c.Segment.Validate(); err != nil {
		return err
	}
	if err := c.Adapt.Validate(); err != nil {
		return err
	}
	return c.Stream.Validate()
}

// Transcriber opens track pipelines on a shared pool and VAD model.
type Transcriber struct {
	cfg    Config
	pool   *transcribe.Pool
	adapt  *adapt.Policy
	vad    *vad.Model
	log    *slog.Logger
	clock  clock.Clock
	tracks atomic.Int64
	// finalsQueue is each track's bound of finals waiting for its finals
	// goroutine (maxPendingFinals; tests shrink it).
	finalsQueue int
}

// New returns a Transcriber on pool and model, configured by cfg after
// Validate and WithDefaults.
func New(cfg Config, pool *transcribe.Pool, model *vad.Model) (*Transcriber, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.WithDefaults()
	if cfg.MaxFinalBacklog == 0 {
		cfg.MaxFinalBacklog = 4 * pool.Stats().Workers
	}
	policy, err := adapt.New(cfg.Adapt)
	if err != nil {
		return nil, err
	}
	return &Transcriber{cfg: cfg, pool: pool, adapt: policy, vad: model, log: cfg.Logger, clock: cfg.Clock, finalsQueue: maxPendingFinals}, nil
}

// decide is what a track may spend under the pool's load now.
func (t *Transcriber) decide() adapt.Decision { return t.adapt.Decide(t.pool.Load()) }

// Admit refuses a new call when the service is at capacity: too many open
// tracks, or finals already waiting for a worker.
func (t *Transcriber) Admit() error {
	if t.cfg.MaxTracks > 0 && int(t.tracks.Load()) >= t.cfg.MaxTracks {
		return fmt.Errorf("%w: %d tracks open", ErrOverloaded, t.tracks.Load())
	}
	if q := t.pool.Stats().QueuedFinals; q > t.cfg.MaxFinalBacklog {
		return fmt.Errorf("%w: %d finals waiting for a worker", ErrOverloaded, q)
	}
	return nil
}

// MaxTracks is the admission limit on open tracks, 0 for none.
func (t *Transcriber) MaxTracks() int { return t.cfg.MaxTracks }

// OpenTracks is the number of tracks running.
func (t *Transcriber) OpenTracks() int { return int(t.tracks.Load()) }

// OpenTrack starts a track's pipeline. emit receives its events from the
// track's goroutine.
func (t *Transcriber) OpenTrack(ctx context.Context, info bridge.TrackInfo, emit func(event.Event)) (bridge.TrackSink, error) {
	cfg := t.cfg.Stream
	cfg.Track = info.Track
	cfg.Language = info.Language
	if cfg.Language == "" {
		cfg.Language = t.cfg.Language
	}
	cfg.Vocabulary = info.Prompt
	policy, err := stream.NewUtterancePolicy(cfg)
	if err != nil {
		return nil, err
	}
	segCfg := t.trackSegment(info)
	seg, err := segment.New(segCfg)
	if err != nil {
		return nil, err
	}
	tr := newTrack(t, info, emit, policy, seg)
	tr.pad = transcribe.SamplesOf(max(0, segCfg.WithDefaults().SpeechPad))
	tr.specAfter = transcribe.SamplesOf(t.cfg.SpeculateAfter)
	if t.cfg.EarlyEnd > 0 && info.EndSilence == 0 {
		tr.earlyEnd = max(transcribe.SamplesOf(t.cfg.EarlyEnd), tr.pad)
	}
	t.tracks.Add(1)
	go tr.run() //nolint:contextcheck // decodes run on decodeCtx: a hang-up must not abort the finals of what was said
	go tr.runFinals()
	return tr, nil
}

// End silences a track may ask for (TrackInfo.EndSilence); Validate holds
// the service's own setting to the same range.
const (
	minEndSilence = 400 * time.Millisecond
	maxEndSilence = 2 * time.Second
)

// trackSegment is the segmentation of one track: the service's, with the
// track's own end-of-utterance silence if it asked for one, clamped to
// what Validate allows, its padding at most half of it.
func (t *Transcriber) trackSegment(info bridge.TrackInfo) segment.Config {
	cfg := t.cfg.Segment
	if info.EndSilence > 0 {
		cfg.MinSilence = min(max(info.EndSilence, minEndSilence), maxEndSilence)
		cfg.SpeechPad = min(cfg.SpeechPad, cfg.MinSilence/2)
	}
	return cfg
}
