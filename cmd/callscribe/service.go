package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"

	"github.com/callscribe/callscribe/bridge/call"
	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/bridge/listen"
	"github.com/callscribe/callscribe/bridge/twilio"
	"github.com/callscribe/callscribe/cmd/callscribe/internal/datastore"
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
	mux       *http.ServeMux
	cancel    context.CancelFunc
	done      []chan struct{}
	closeList []closer
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
	s := &service{log: log, cancel: cancel, mux: http.NewServeMux()}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()

	if s.model, err = engine.Load(cfg.Model, engine.Config{BackendsDir: cfg.BackendsDir, Logger: log}); err != nil {
		return nil, err
	}
	s.closeList = append(s.closeList, closer{"model", s.model.Close})
	if s.pool, err = transcribe.NewPool(s.model.Factory(), transcribe.PoolConfig{Workers: cfg.Workers}); err != nil { //nolint:contextcheck // workers run each job on its submitter's context
		return nil, err
	}
	s.closeList = append(s.closeList, closer{"decoder pool", s.pool.Close})
	vadModel, err := vad.Load(cfg.VADModel)
	if err != nil {
		return nil, fmt.Errorf("vad model: %w (make model fetches it; --vad-model names another)", err)
	}
	if s.tx, err = pipeline.New(pcfg, s.pool, vadModel); err != nil {
		return nil, err
	}

	store, err := datastore.Open(ctx, datastore.Config{DataDir: cfg.DataDir, Create: true})
	if err != nil {
		return nil, err
	}
	s.store = store
	s.closeList = append(s.closeList, closer{"store", store.Close})
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
	if s.hub, err = call.New(call.Config{Grace: cfg.Grace, Sinks: []call.Sink{outbox}, Logger: log,
		CheckOrigin: func(*http.Request) bool { return true }}); err != nil {
		return nil, err
	}
	s.start(runCtx, "call hub", s.hub.Run)

	if s.twilio, err = twilio.NewServer(twilio.Config{Logger: log}, s.hub.Transport(), s.tx, s.tx); err != nil {
		return nil, err
	}
	if s.listen, err = listen.NewServer(listen.Config{Logger: log}, s.hub.Transport(), s.tx, s.tx); err != nil {
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
