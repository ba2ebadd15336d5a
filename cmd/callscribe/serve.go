package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/callscribe/callscribe/codec"
	"github.com/callscribe/callscribe/transcribe"
	"github.com/callscribe/callscribe/transcribe/engine"
)

// ServeConfig is the service's configuration: the engine's, plus where to
// listen and how much a request may carry.
type ServeConfig struct {
	EngineConfig
	// Listen is the HTTP listen address (CALLSCRIBE_LISTEN).
	Listen string
	// MaxUploadMB bounds a file upload (CALLSCRIBE_MAX_UPLOAD_MB).
	MaxUploadMB int
}

func serveCmd(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg ServeConfig
	cfg.register(fs)
	fs.StringVar(&cfg.Listen, "listen", "127.0.0.1:8080", "HTTP listen address (CALLSCRIBE_LISTEN)")
	fs.IntVar(&cfg.MaxUploadMB, "max-upload-mb", 64, "largest file accepted by POST /v1/transcribe (CALLSCRIBE_MAX_UPLOAD_MB)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	opts, err := cfg.Validate()
	if err != nil {
		return err
	}
	log := newLogger(stderr, cfg.LogLevel)
	model, err := engine.Load(cfg.Model, engine.LoadOptions{BackendsDir: cfg.BackendsDir, FlashAttention: true, Logger: log})
	if err != nil {
		return err
	}
	defer model.Close()
	pool, err := transcribe.NewPool(model.Factory(), transcribe.PoolConfig{Workers: cfg.Workers})
	if err != nil {
		return err
	}
	defer pool.Close()

	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: newFileHandler(pool, opts, int64(cfg.MaxUploadMB)<<20, log), ReadHeaderTimeout: 10 * time.Second}
	log.Info("serving", "addr", ln.Addr().String(), "model", cfg.Model, "workers", cfg.Workers,
		"backends", engine.BackendsDir(), "whisper", engine.Version())

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	log.Info("shutting down")
	return srv.Shutdown(shutdown)
}

// newFileHandler serves health checks and whole-file transcription:
// POST /v1/transcribe with a WAV body returns the transcript as JSON.
func newFileHandler(pool *transcribe.Pool, opts transcribe.Options, maxBody int64, log *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		st := pool.Stats()
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(st)
	})
	mux.HandleFunc("POST /v1/transcribe", func(w http.ResponseWriter, r *http.Request) {
		o := opts
		if l := r.URL.Query().Get("language"); l != "" {
			o.Language = l
		}
		o.Prompt = r.URL.Query().Get("prompt")
		a, err := codec.ReadWAV(http.MaxBytesReader(w, r.Body, maxBody))
		if err == nil && a.Frames() == 0 {
			err = errors.New("no audio samples")
		}
		if err == nil {
			a, err = a.Resampled(transcribe.SampleRate)
		}
		if err != nil {
			httpError(w, http.StatusBadRequest, err)
			return
		}
		ft, err := transcribeAudio(r.Context(), pool, "upload", a, o)
		if err != nil {
			log.Warn("transcribe upload", "err", err)
			httpError(w, http.StatusUnprocessableEntity, err)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(ft)
	})
	return mux
}

func httpError(w http.ResponseWriter, code int, err error) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": err.Error()})
}
