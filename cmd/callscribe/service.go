package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/callscribe/callscribe/bridge"
	"github.com/callscribe/callscribe/bridge/auth"
	"github.com/callscribe/callscribe/bridge/call"
	"github.com/callscribe/callscribe/bridge/deepgram"
	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/bridge/listen"
	"github.com/callscribe/callscribe/bridge/twilio"
	"github.com/callscribe/callscribe/bridge/webrtc"
	"github.com/callscribe/callscribe/cmd/callscribe/internal/datastore"
	"github.com/callscribe/callscribe/cmd/callscribe/internal/metrics"
	"github.com/callscribe/callscribe/cmd/callscribe/internal/webui"
	"github.com/callscribe/callscribe/transcribe"
	"github.com/callscribe/callscribe/transcribe/engine"
	"github.com/callscribe/callscribe/transcribe/pipeline"
	"github.com/callscribe/callscribe/transcribe/vad"
	"github.com/callscribe/callscribe/webhooks"
)

// service is the running callscribe: the engine and its pool, the live
// pipeline, the call hub, the webhook dispatcher and the transports.
type service struct {
	log       *slog.Logger
	model     *engine.Model
	pool      *transcribe.Pool
	tx        *pipeline.Transcriber
	hub       *call.Hub
	store     webhooks.Store
	webhooks  *webhooks.Dispatcher
	twilio    *twilio.Server
	listen    *listen.Server
	deepgram  *deepgram.Server
	webrtc    *webrtc.Server
	ui        *webui.Handler
	auth      *auth.Authenticator
	slots     *auth.CallSlots
	admission bridge.Admission
	metrics   *metrics.Metrics
	// draining is set by drain: readiness goes false, new calls are
	// refused; drainTimeout bounds how long live calls then go on.
	draining     atomic.Bool
	drainTimeout time.Duration
	mux          *http.ServeMux
	cancel       context.CancelFunc
	done         []chan struct{}
	closeList    []closer
}

// newService checks the configuration, loads the models and wires every
// part. On error, what was already started is closed.
func newService(ctx context.Context, cfg ServeConfig, log *slog.Logger) (_ *service, err error) {
	opts, err := cfg.Validate()
	if err != nil {
		return nil, err
	}
	pcfg := cfg.pipelineConfig(opts, log)
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s := &service{log: log, cancel: cancel, mux: http.NewServeMux(), drainTimeout: cfg.DrainTimeout}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()

	// The metrics come first: every part counts its refusals and events
	// into them. The parts' own counters are watched once they exist.
	if s.metrics, err = metrics.New(metrics.Config{Registry: prometheus.NewRegistry(), Whisper: engine.Version(), Logger: log}); err != nil {
		return nil, err
	}
	pcfg.FirstPartial = s.metrics.FirstPartial

	// The store and the authenticator come first: a server that would
	// refuse to start without credentials says so before loading models.
	store, err := datastore.Open(ctx, datastore.Config{URL: cfg.Store, DataDir: cfg.DataDir, Create: true, Logger: log})
	if err != nil {
		return nil, err
	}
	s.store = store
	s.closeList = append(s.closeList, closer{"store", store.Close})
	if s.auth, err = newAuthenticator(ctx, cfg, store, s.metrics, log); err != nil {
		return nil, err
	}
	s.slots = auth.NewCallSlots(cfg.MaxCallsPerKey, s.metrics)

	if s.model, err = engine.Load(cfg.Model, cfg.engineConfig(log)); err != nil {
		return nil, err
	}
	s.closeList = append(s.closeList, closer{"model", s.model.Close})
	if s.pool, err = transcribe.NewPool(s.model.Factory(), transcribe.PoolConfig{Workers: cfg.Workers, Cores: cfg.cores()}); err != nil { //nolint:contextcheck // workers run each job on its submitter's context
		return nil, err
	}
	s.closeList = append(s.closeList, closer{"decoder pool", s.pool.Close})
	if cfg.MaxTracks == 0 {
		// Admission follows what a track costs on this model and machine.
		finalCtx := opts
		finalCtx.AudioCtx = pcfg.Stream.FinalAudioCtx
		tracks, cost, err := sizeAdmission(ctx, cfg, s.pool, finalCtx)
		if err != nil {
			log.Warn("engine cost not measured; admission uses a fixed limit per core", "err", err, "max_tracks", tracks)
		} else {
			log.Info("admission sized from the engine's cost", "cpu_s_per_speech_s", fmt.Sprintf("%.3f", cost),
				"decoding_cores", cfg.decodingCores(), "max_tracks", tracks)
		}
		pcfg.MaxTracks = tracks
	}
	vadModel, err := vad.Load(cfg.VADModel)
	if err != nil {
		return nil, fmt.Errorf("vad model: %w (make model fetches it; --vad-model names another)", err)
	}
	if s.tx, err = pipeline.New(pcfg, s.pool, vadModel); err != nil {
		return nil, err
	}

	whcfg := webhooks.Config{SelfAddrs: []string{cfg.Listen}, Logger: log}
	if cfg.WebhookURL != "" {
		whcfg.Endpoints = []webhooks.EndpointConfig{{ID: "static", URL: cfg.WebhookURL,
			Secrets: []string{cfg.WebhookSecret}, Events: splitList(cfg.WebhookEvents)}}
	}
	if s.webhooks, err = webhooks.New(ctx, store, whcfg); err != nil {
		return nil, err
	}
	s.start(runCtx, "webhook dispatcher", s.webhooks.Run)

	// An event counts as produced once the outbox holds it: the hub calls
	// this sink before any subscriber sees the event.
	outbox := call.SinkFunc(func(ctx context.Context, e event.Event) error { return s.webhooks.Enqueue(ctx, &e) })
	hcfg := call.Config{Grace: cfg.Grace, Sinks: []call.Sink{outbox, s.metrics}, Logger: log, Refusals: s.metrics,
		MaxSubscribers: cfg.MaxSubscribers, Registry: store, Node: cfg.Node, Lease: cfg.CallLease,
		CheckOrigin: func(*http.Request) bool { return true }}
	if store.Events != nil {
		// Nodes sharing the store follow each other's calls through its
		// event log: every event goes there too, before subscribers see it.
		hcfg.EventLog, hcfg.Sinks = store.Events, append(hcfg.Sinks, store.Events)
	}
	if s.hub, err = call.New(hcfg); err != nil {
		return nil, err
	}
	// The calls this node held when it last stopped without ending them
	// (a crash) get their call.ended before any new call starts.
	if n, err := s.hub.RecoverOrphans(ctx); err != nil {
		return nil, fmt.Errorf("ending calls interrupted by the last stop: %w", err)
	} else if n > 0 {
		log.Warn("ended calls the last run left open", "calls", n)
	}
	s.start(runCtx, "call hub", s.hub.Run)

	admit := drainAdmission{draining: &s.draining, next: s.tx}
	if s.twilio, err = twilio.NewServer(twilio.Config{Logger: log, Refusals: s.metrics, MaxDuration: cfg.MaxCallDuration, MediaTimeout: cfg.MediaTimeout,
		Authorize: twilioAuthorize(s.auth, s.slots, s.metrics)}, s.hub.Transport(), s.tx, admit); err != nil {
		return nil, err
	}
	if s.listen, err = listen.NewServer(listen.Config{Logger: log, Refusals: s.metrics, MaxDuration: cfg.MaxCallDuration, MediaTimeout: cfg.MediaTimeout},
		s.hub.Transport(), s.tx, admit); err != nil {
		return nil, err
	}
	if s.deepgram, err = deepgram.NewServer(cfg.deepgramConfig(s, int64(cfg.MaxUploadMB)<<20),
		s.hub.Transport(), s.tx, poolFiles{s.pool, opts}, admit); err != nil {
		return nil, err
	}
	if s.webrtc, err = newWebRTC(cfg, s.hub.Transport(), s.tx, admit, s.auth, s.slots, s.metrics, log); err != nil {
		return nil, err
	}
	// The page asks for a key only where the API wants one.
	if s.ui, err = webui.New(webui.Config{Keys: !s.auth.Disabled()}); err != nil {
		return nil, err
	}
	s.admission = admit
	if err = s.metrics.Watch(metrics.Sources{Pool: s.pool, Tracks: s.tx, Hub: s.hub, Webhooks: s.webhooks, Twilio: &s.twilio.Stats, WebRTC: &s.webrtc.Stats}); err != nil {
		return nil, err
	}
	s.routes(opts, int64(cfg.MaxUploadMB)<<20)
	return s, nil
}

// closer is one resource Close releases, named for its log line.
type closer struct {
	name  string
	close func() error
}

// start runs f in a goroutine that Close waits for. f's error, other than
// its context ending, is logged: nothing else would see it.
func (s *service) start(ctx context.Context, name string, f func(context.Context) error) {
	done := make(chan struct{})
	s.done = append(s.done, done)
	go func() {
		defer close(done)
		if err := f(ctx); err != nil && !errors.Is(err, context.Canceled) {
			s.log.Error(name+" stopped", "err", err)
		}
	}()
}

// routes mounts every endpoint behind the scope it needs: stream (sending
// audio), read (calls, events, transcripts), admin (webhooks, keys). The
// health checks and the page (which holds no data: it calls the API) are
// open; /v1/tokens checks its own credential.
func (s *service) routes(opts transcribe.Options, maxUpload int64) {
	a := s.auth
	s.ui.Mount(s.mux) // GET /, /ui/..., /favicon.ico
	a.Mount(s.mux)    // /v1/keys (admin), /v1/tokens
	s.mux.Handle("GET /v1/twilio", a.AllowTwilio(s.twilio))
	s.mux.Handle("GET /v1/raw", a.Require(auth.ScopeStream, s.slots.Limit(s.listen)))
	s.mux.Handle("GET /v1/listen", a.Require(auth.ScopeStream, s.slots.Limit(s.deepgram)))
	s.mux.Handle("POST /v1/listen", a.Require(auth.ScopeStream, s.deepgram))
	s.whipRoutes()
	s.mux.Handle("POST /v1/transcribe", a.Require(auth.ScopeStream, uploadHandler(s.pool, opts, maxUpload, s.log)))
	s.mux.Handle("GET /v1/calls", a.Require(auth.ScopeRead, s.hub.ListHandler()))
	s.mux.Handle("GET /v1/calls/{call_id}/events", a.Require(auth.ScopeRead, s.hub.EventsHandler()))
	s.mux.Handle("GET /v1/calls/{call_id}/transcript", a.Require(auth.ScopeRead, webhooks.TranscriptHandler(s.store, s.log)))
	s.mux.Handle("/v1/webhooks/", a.Require(auth.ScopeAdmin, s.webhooks.AdminHandler()))
	s.mux.Handle("GET /metrics", a.Require(auth.ScopeAdmin, s.metrics.Handler()))
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("ok\n"))
	})
	// Ready means a new call would be admitted now: not while draining,
	// not at capacity.
	s.mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		status := map[string]any{"pool": s.pool.Stats(), "tracks": s.tx.OpenTracks(), "goroutines": runtime.NumGoroutine(),
			"live_calls": s.hub.LiveCalls(), "device": s.model.Device()}
		code := http.StatusOK
		if err := s.admission.Admit(); err != nil {
			status["refusing"] = err.Error()
			code = http.StatusServiceUnavailable
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_ = json.NewEncoder(w).Encode(status)
	})
}

// Handler serves every endpoint.
func (s *service) Handler() http.Handler { return s.mux }

// EndStreams ends the live streams (their finals are still decoded, stored
// and delivered) and then the hub, which ends its subscriptions. The
// listener must be closed first, so that no new stream begins meanwhile;
// the pool and the store stay open for requests still running.
func (s *service) EndStreams(ctx context.Context) {
	if s.twilio != nil {
		if err := s.twilio.Shutdown(ctx); err != nil {
			s.log.Warn("twilio streams did not finish", "err", err)
		}
	}
	if s.listen != nil {
		if err := s.listen.Shutdown(ctx); err != nil {
			s.log.Warn("listen streams did not finish", "err", err)
		}
	}
	if s.deepgram != nil {
		if err := s.deepgram.Shutdown(ctx); err != nil {
			s.log.Warn("deepgram streams did not finish", "err", err)
		}
	}
	if s.webrtc != nil {
		if err := s.webrtc.Shutdown(ctx); err != nil {
			s.log.Warn("webrtc sessions did not finish", "err", err)
		}
	}
	if s.hub != nil {
		if err := s.hub.Close(); err != nil { //nolint:contextcheck // call.ended goes out on the hub's context
			s.log.Warn("closing the call hub", "err", err)
		}
	}
}

// Close stops the background work and frees the engine and the store.
// Nothing may use the service any more: call it after the HTTP server has
// shut down and EndStreams returned.
func (s *service) Close() {
	s.cancel()
	for _, d := range s.done {
		<-d
	}
	for i := len(s.closeList) - 1; i >= 0; i-- {
		if err := s.closeList[i].close(); err != nil {
			s.log.Warn("closing "+s.closeList[i].name, "err", err)
		}
	}
}
