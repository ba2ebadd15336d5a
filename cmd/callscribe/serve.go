package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/callscribe/callscribe/transcribe/engine"
)

// ServeConfig is the service's whole configuration: the engine's, plus
// the network, the live pipeline and webhooks. Every field has a flag and
// an environment variable (CALLSCRIBE_ + the flag name in upper case).
type ServeConfig struct {
	EngineConfig
	// Listen is the HTTP listen address.
	Listen string
	// MaxUploadMB bounds a file upload to POST /v1/transcribe.
	MaxUploadMB int
	// VADModel is the Silero VAD ONNX file.
	VADModel string
	// DataDir holds the webhook outbox and transcripts (webhooks.db).
	DataDir string
	// PartialInterval is the new speech between two partials.
	PartialInterval time.Duration
	// Grace is how long a call waits for its stream to reconnect.
	Grace time.Duration
	// MaxTracks refuses new calls beyond this many open tracks (0: only the
	// pool's backlog limits).
	MaxTracks int
	// WebhookURL, WebhookSecret and WebhookEvents configure one static
	// webhook endpoint; more are added through /v1/webhooks/endpoints.
	WebhookURL    string
	WebhookSecret string
	WebhookEvents string
}

func (c *ServeConfig) register(fs *flag.FlagSet) {
	c.EngineConfig.register(fs)
	fs.StringVar(&c.Listen, "listen", "127.0.0.1:8080", "HTTP listen address")
	fs.IntVar(&c.MaxUploadMB, "max-upload-mb", 64, "largest file accepted by POST /v1/transcribe")
	fs.StringVar(&c.VADModel, "vad-model", "models/silero_vad.onnx", "Silero VAD ONNX model")
	fs.StringVar(&c.DataDir, "data-dir", "data", "folder of the webhook outbox and stored transcripts")
	fs.DurationVar(&c.PartialInterval, "partial-interval", 800*time.Millisecond, "new speech between two partial transcripts (0.5s..1s)")
	fs.DurationVar(&c.Grace, "grace", 10*time.Second, "how long a call waits for its stream to reconnect before call.ended")
	fs.IntVar(&c.MaxTracks, "max-tracks", 0, "refuse new calls beyond this many open tracks (0: backlog only)")
	fs.StringVar(&c.WebhookURL, "webhook-url", "", "a static webhook endpoint (optional)")
	fs.StringVar(&c.WebhookSecret, "webhook-secret", "", `its signing secret, "whsec_" + base64`)
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
	log := newLogger(stderr, cfg.LogLevel)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	svc, err := newService(ctx, cfg, log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		svc.Close(context.Background())
		return err
	}
	srv := &http.Server{Handler: svc.Handler(), ReadHeaderTimeout: 10 * time.Second}
	log.Info("serving", "addr", ln.Addr().String(), "model", cfg.Model, "workers", cfg.Workers,
		"backends", engine.BackendsDir(), "whisper", engine.Version())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err = <-errc:
	case <-ctx.Done():
	}
	log.Info("shutting down: ending streams, finishing their finals")
	shutdown, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	svc.Close(shutdown)
	if e := srv.Shutdown(shutdown); e != nil && err == nil {
		err = e
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
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

// checkPartialInterval keeps partials within the range the policy accepts.
func checkPartialInterval(d time.Duration) error {
	if d < 500*time.Millisecond || d > time.Second {
		return fmt.Errorf("--partial-interval must be 0.5s..1s, got %v", d)
	}
	return nil
}
