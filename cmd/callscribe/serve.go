package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/callscribe/callscribe/transcribe"
	"github.com/callscribe/callscribe/transcribe/adapt"
	"github.com/callscribe/callscribe/transcribe/engine"
	"github.com/callscribe/callscribe/transcribe/pipeline"
	"github.com/callscribe/callscribe/transcribe/segment"
	"github.com/callscribe/callscribe/transcribe/stream"
)

// ServeConfig is the service's whole configuration: the engine's, plus
// the network, the live pipeline and webhooks. Every field has a flag and
// an environment variable (CALLSCRIBE_ + the flag name in upper case).
type ServeConfig struct {
	EngineConfig
	OpsConfig
	DeepgramConfig
	// Listen is the HTTP listen address.
	Listen string
	// MaxUploadMB bounds a file upload to POST /v1/transcribe.
	MaxUploadMB int
	// VADModel is the Silero VAD ONNX file.
	VADModel string
	// DataDir holds the webhook outbox and transcripts (webhooks.db).
	DataDir string
	// PartialInterval is the new speech between two partials. 0, the
	// default, leaves it to the load policy: 0.8 s while the pool has
	// room, stretching to 8 s as it fills.
	PartialInterval time.Duration
	// EndSilence is the silence that ends an utterance. Every final waits
	// at least this long after the last word; shorter cuts latency but
	// splits sentences at longer pauses. 0, the default, is 500 ms, and
	// 300 ms once the pause's speculative final reads as a finished
	// sentence; a value given waits for that silence every time.
	EndSilence time.Duration
	// SpeculativeFinals decodes an utterance's final during the pause that
	// may end it, on an idle worker, so the final leaves as soon as the
	// end-of-utterance silence is confirmed.
	SpeculativeFinals bool
	// Grace is how long a call waits for its stream to reconnect.
	Grace time.Duration
	// MaxTracks refuses new calls beyond this many open tracks. 0 sizes it
	// from the engine's cost, measured on the loaded model at start
	// (calibrate.go); negative leaves only the finals backlog to refuse
	// calls.
	MaxTracks int
	// WebhookURL, WebhookSecret and WebhookEvents configure one static
	// webhook endpoint; more are added through /v1/webhooks/endpoints.
	WebhookURL    string
	WebhookSecret string
	WebhookEvents string
	// DebugListen, when set, serves net/http/pprof, and /metrics without
	// auth, on its own address, kept off the public listener: profiles show
	// call audio's code paths and cost CPU to take.
	DebugListen string
}

func (c *ServeConfig) register(fs *flag.FlagSet) {
	c.EngineConfig.register(fs)
	c.OpsConfig.register(fs)
	c.DeepgramConfig.register(fs)
	fs.StringVar(&c.Listen, "listen", "127.0.0.1:8080", "HTTP listen address")
	fs.IntVar(&c.MaxUploadMB, "max-upload-mb", 64, "largest file accepted by POST /v1/transcribe")
	fs.StringVar(&c.VADModel, "vad-model", "models/silero_vad.onnx", "Silero VAD ONNX model")
	fs.StringVar(&c.DataDir, "data-dir", "data", "folder of the webhook outbox and stored transcripts")
	fs.DurationVar(&c.PartialInterval, "partial-interval", 0, "new speech between two partial transcripts (0.5s..1s); 0: by load, 0.8s with room to spare, up to 8s under load")
	fs.DurationVar(&c.EndSilence, "end-silence", 0, "silence that ends an utterance (400ms..2s): finals wait for it; 0: 500ms, or 300ms after a finished sentence")
	fs.BoolVar(&c.SpeculativeFinals, "speculative-finals", true, "decode finals during the pause that may end an utterance, on idle workers")
	fs.DurationVar(&c.Grace, "grace", 10*time.Second, "how long a call waits for its stream to reconnect before call.ended")
	fs.IntVar(&c.MaxTracks, "max-tracks", 0, "refuse new calls beyond this many open tracks (0: sized from the engine's cost measured at start; -1: no limit)")
	fs.StringVar(&c.WebhookURL, "webhook-url", "", "a static webhook endpoint (optional)")
	fs.StringVar(&c.WebhookSecret, "webhook-secret", "", `its signing secret, "whsec_" + base64`)
	fs.StringVar(&c.DebugListen, "debug-listen", "", "address for /debug/pprof/ and /metrics (empty: off; keep it private)")
	fs.StringVar(&c.WebhookEvents, "webhook-events", "", "comma-separated events it receives (default: all but transcript.partial)")
}

func serveCmd(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg ServeConfig
	cfg.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if _, err := cfg.Validate(); err != nil {
		return err
	}
	log := newLogger(stderr, cfg.level)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	svc, err := newService(ctx, cfg, log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		svc.EndStreams(context.Background())
		svc.Close()
		return err
	}
	log.Info("serving", "addr", ln.Addr().String(), "model", cfg.Model, "workers", cfg.Workers, "cores", cfg.cores(), "threads", cfg.Threads,
		"beam_size", cfg.BeamSize, "max_tracks", svc.tx.MaxTracks(), "backends", engine.BackendsDir(), "whisper", engine.Version())
	var debug net.Listener
	if cfg.DebugListen != "" {
		if debug, err = net.Listen("tcp", cfg.DebugListen); err != nil {
			ln.Close()
			svc.EndStreams(context.Background())
			svc.Close()
			return fmt.Errorf("--debug-listen: %w", err)
		}
		log.Info("profiling", "addr", debug.Addr().String())
	}
	return svc.serve(ctx, ln, debug)
}

// shutdownTimeout bounds the wait for the streams' last finals and the
// requests in flight once the service is asked to stop.
const shutdownTimeout = 60 * time.Second

// flushTimeout bounds the wait for the last webhooks once the calls ended.
const flushTimeout = 15 * time.Second

// serve answers on ln (and profiles on debug, if not nil) until ctx ends or
// the listener fails, then stops in the order that loses nothing: it
// drains (readiness false, new calls refused, live calls go on for up to
// the drain timeout), intake stops (the listener closes; no new upload or
// admin request begins), the calls still live end with their last finals
// and call.ended, the hub ends its subscriptions, the requests still
// running finish, the last webhooks leave, and only then the pool and the
// store close.
func (s *service) serve(ctx context.Context, ln, debug net.Listener) error {
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(ln) }()
	if debug != nil {
		dsrv := &http.Server{Handler: debugHandler(s.metrics.Handler()), ReadHeaderTimeout: 10 * time.Second}
		defer dsrv.Close()
		go func() {
			if err := dsrv.Serve(debug); !errors.Is(err, http.ErrServerClosed) {
				errc <- fmt.Errorf("debug listener: %w", err)
			}
		}()
	}
	var err error
	select {
	case err = <-errc:
	case <-ctx.Done():
		// ctx has ended: the stop runs on deadlines of its own.
		s.drain(context.WithoutCancel(ctx), s.drainTimeout)
	}
	s.log.Info("shutting down: ending streams, finishing their finals")
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	// Shutdown closes the listener at once, then waits for the requests in
	// flight. WebSocket streams are hijacked connections it does not see,
	// and event subscriptions last until the hub ends them: EndStreams
	// ends both meanwhile.
	stopped := make(chan error, 1)
	go func() { stopped <- srv.Shutdown(sctx) }()
	s.EndStreams(sctx)
	if e := <-stopped; e != nil {
		s.log.Warn("requests still running at shutdown", "err", e)
	}
	fctx, fcancel := context.WithTimeout(sctx, flushTimeout)
	if e := s.webhooks.Flush(fctx); e != nil {
		s.log.Warn("webhooks still due at exit stay in the outbox for the next start", "err", e)
	}
	fcancel()
	s.Close()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// debugHandler serves the runtime profiles, and metrics without the
// public listener's auth. Decodes carry a "decode" label (final or
// partial), so a CPU profile splits the engine's time by kind.
func debugHandler(metrics http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metrics)
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

// splitList splits a comma-separated flag value.
func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// defaultEndSilence is the silence that ends an utterance when
// --end-silence is not given: the tuned pool's 500 ms, which the load
// bench found to cost no WER against 700 ms.
const defaultEndSilence = 500 * time.Millisecond

// cores is how many CPU cores the pool's decodes may use together:
// workers x threads when the threads are pinned, else the machine's
// cores (at least one per worker), so that a final decoding alone on an
// idle pool may take a second core.
func (c ServeConfig) cores() int {
	if c.Threads > 0 {
		return c.Workers * c.Threads
	}
	return max(c.Workers, runtime.NumCPU())
}

// maxTracks resolves the --max-tracks flag for the pipeline: 0 for no
// limit, and, until the engine's cost is measured, for the default.
func (c ServeConfig) maxTracks() int { return max(c.MaxTracks, 0) }

// Validate checks the values and returns the decode options they imply.
// Every check of the live pipeline's settings (end silence, partial
// interval) is the pipeline's own: it runs here, before any model loads.
func (c *ServeConfig) Validate() (transcribe.Options, error) {
	opts, err := c.EngineConfig.Validate()
	if err != nil {
		return opts, err
	}
	if err := c.pipelineConfig(opts, nil).Validate(); err != nil {
		return opts, fmt.Errorf("live pipeline settings: %w", err)
	}
	return opts, c.OpsConfig.Validate()
}

// pipelineConfig is the live pipeline's configuration the flags set.
// Settings given explicitly are pinned: the load policy leaves them alone.
func (c *ServeConfig) pipelineConfig(opts transcribe.Options, log *slog.Logger) pipeline.Config {
	fullCtx := opts.AudioCtx
	if fullCtx == 0 {
		fullCtx = transcribe.AudioCtxFull
	}
	endSilence, earlyEnd := c.EndSilence, time.Duration(-1)
	if endSilence == 0 {
		endSilence, earlyEnd = defaultEndSilence, 0
	}
	return pipeline.Config{
		Language:           opts.Language,
		MaxTracks:          c.maxTracks(),
		DisableSpeculation: !c.SpeculativeFinals,
		EarlyEnd:           earlyEnd,
		Adapt:              adapt.Config{BeamSize: c.BeamSize, Threads: c.Threads, PartialInterval: c.PartialInterval},
		Stream: stream.Config{
			Threads:         c.Threads,
			FinalBeamSize:   opts.BeamSize,
			FinalAudioCtx:   fullCtx,
			PartialInterval: c.PartialInterval,
		},
		Segment: segment.Config{MinSilence: endSilence},
		Logger:  log,
	}
}
