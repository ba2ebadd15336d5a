package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"runtime"

	"github.com/callscribe/callscribe/bridge/call"
	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/bridge/listen"
	"github.com/callscribe/callscribe/bridge/twilio"
	"github.com/callscribe/callscribe/transcribe"
	"github.com/callscribe/callscribe/transcribe/engine"
	"github.com/callscribe/callscribe/transcribe/pipeline"
	"github.com/callscribe/callscribe/transcribe/vad"
	"github.com/callscribe/callscribe/webhooks"
	"github.com/callscribe/callscribe/webhooks/sqlitestore"
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
	mux       *http.ServeMux
	cancel    context.CancelFunc
	done      []chan struct{}
	closeList []func()
}

// newService loads the models and wires every part. On error, what was
// already started is closed.
func newService(ctx context.Context, cfg ServeConfig, log *slog.Logger) (_ *service, err error) {
	opts, err := cfg.Validate()
	if err != nil {
		return nil, err
	}
	if err := checkEndSilence(cfg.EndSilence); err != nil {
		return nil, err
	}
	if err := checkPartialInterval(cfg.PartialInterval); err != nil {
		return nil, err
	}
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s := &service{log: log, cancel: cancel, mux: http.NewServeMux()}
	defer func() {
		if err != nil {
			s.Close(context.Background())
		}
	}()

	if s.model, err = engine.Load(cfg.Model, engine.LoadOptions{BackendsDir: cfg.BackendsDir, FlashAttention: true, Logger: log}); err != nil {
		return nil, err
	}
	s.closeList = append(s.closeList, func() { _ = s.model.Close() })
	if s.pool, err = transcribe.NewPool(s.model.Factory(), transcribe.PoolConfig{Workers: cfg.Workers}); err != nil {
		return nil, err
	}
	s.closeList = append(s.closeList, func() { _ = s.pool.Close() })
	vadModel, err := vad.Load(cfg.VADModel)
	if err != nil {
		return nil, fmt.Errorf("vad model: %w (make model fetches it; --vad-model names another)", err)
	}
	pcfg := pipeline.DefaultConfig()
	pcfg.Language = opts.Language
	pcfg.MaxTracks = cfg.maxTracks()
	pcfg.Stream.Threads = opts.Threads
	pcfg.Stream.FinalBeamSize = opts.BeamSize
	pcfg.Stream.FinalAudioCtx = opts.AudioCtx
	pcfg.Stream.PartialInterval = cfg.PartialInterval
	pcfg.Segment.MinSilence = cfg.EndSilence
	pcfg.Speculate = cfg.SpeculativeFinals
	// The pad may take at most half the silence (two utterances' pads
	// never meet).
	pcfg.Segment.SpeechPad = min(pcfg.Segment.SpeechPad, cfg.EndSilence/2)
	if s.tx, err = pipeline.New(pcfg, s.pool, vadModel, log); err != nil {
		return nil, err
	}

	if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
		return nil, err
	}
	store, err := sqlitestore.Open(ctx, filepath.Join(cfg.DataDir, "webhooks.db"))
	if err != nil {
		return nil, err
	}
	s.store = store
	s.closeList = append(s.closeList, func() { _ = store.Close() })
	whcfg := webhooks.Config{SelfAddrs: []string{cfg.Listen}}
	if cfg.WebhookURL != "" {
		whcfg.Endpoints = []webhooks.EndpointConfig{{ID: "static", URL: cfg.WebhookURL,
			Secrets: []string{cfg.WebhookSecret}, Events: splitList(cfg.WebhookEvents)}}
	}
	if s.webhooks, err = webhooks.New(ctx, store, whcfg, webhooks.WithLogger(log)); err != nil {
		return nil, err
	}
	s.start(runCtx, func(ctx context.Context) { _ = s.webhooks.Run(ctx) })

	// An event counts as produced once the outbox holds it: the hub calls
	// this sink before any subscriber sees the event.
	outbox := call.SinkFunc(func(ctx context.Context, e event.Event) error { return s.webhooks.Enqueue(ctx, &e) })
	if s.hub, err = call.New(call.Config{Grace: cfg.Grace, Sinks: []call.Sink{outbox}, Logger: log,
		CheckOrigin: func(*http.Request) bool { return true }}); err != nil {
		return nil, err
	}
	s.start(runCtx, func(ctx context.Context) { _ = s.hub.Run(ctx) })

	if s.twilio, err = twilio.NewServer(twilio.Config{Logger: log}, s.hub.Transport(), s.tx, s.tx); err != nil {
		return nil, err
	}
	if s.listen, err = listen.NewServer(listen.Config{Logger: log}, s.hub.Transport(), s.tx, s.tx); err != nil {
		return nil, err
	}
	s.routes(opts, int64(cfg.MaxUploadMB)<<20)
	return s, nil
}

// start runs f in a goroutine that Close waits for.
func (s *service) start(ctx context.Context, f func(context.Context)) {
	done := make(chan struct{})
	s.done = append(s.done, done)
	go func() {
		defer close(done)
		f(ctx)
	}()
}

func (s *service) routes(opts transcribe.Options, maxUpload int64) {
	s.mux.Handle("GET /v1/twilio", s.twilio)
	s.mux.Handle("GET /v1/listen", s.listen)
	s.hub.Mount(s.mux)
	s.mux.Handle("GET /v1/calls/{call_id}/transcript", webhooks.TranscriptHandler(s.store, s.log))
	s.mux.Handle("/v1/webhooks/", s.webhooks.AdminHandler())
	s.mux.Handle("POST /v1/transcribe", uploadHandler(s.pool, opts, maxUpload, s.log))
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("ok\n"))
	})
	// Ready means a new call would be admitted now.
	s.mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		status := map[string]any{"pool": s.pool.Stats(), "tracks": s.tx.OpenTracks(), "goroutines": runtime.NumGoroutine()}
		code := http.StatusOK
		if err := s.tx.Admit(); err != nil {
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

// Close ends the streams (their finals are still produced and stored),
// then the hub and the dispatcher, then frees the engine.
func (s *service) Close(ctx context.Context) {
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
	if s.hub != nil {
		_ = s.hub.Close()
	}
	s.cancel()
	for _, d := range s.done {
		<-d
	}
	for i := len(s.closeList) - 1; i >= 0; i-- {
		s.closeList[i]()
	}
}
