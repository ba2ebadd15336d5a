package deepgram

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/callscribe/callscribe/bridge"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge/clock"
	"github.com/callscribe/callscribe/bridge/config"
	"github.com/callscribe/callscribe/bridge/timeline"
	"github.com/callscribe/callscribe/bridge/wsconn"
	"github.com/callscribe/callscribe/codec/container"
)

// Config tunes the endpoint. A zero field takes the default named in its
// comment.
type Config struct {
	// Model is the Whisper model every request is served by; its Name is
	// required.
	Model Model
	// PingInterval keeps idle proxies from closing the socket. Default 20 s.
	PingInterval time.Duration
	// IdleTimeout ends a stream that sent nothing, not even a pong, for
	// this long; it must exceed PingInterval. Default 60 s.
	IdleTimeout time.Duration
	// CloseTimeout bounds the wait for the last finals. Default 60 s.
	CloseTimeout time.Duration
	// MaxFrameBytes bounds one message. Default 256 KiB.
	MaxFrameBytes int64
	// RateGuard bounds how far audio may run ahead of wall time.
	RateGuard timeline.RateGuardConfig
	// MaxDuration ends a stream that lasts longer (1008); 0 sets no limit.
	MaxDuration time.Duration
	// MediaTimeout ends a stream that sent neither audio nor KeepAlive for
	// this long, with Deepgram's 1011 NET-0001 (Deepgram's own is 10 s);
	// 0 sets no limit.
	MediaTimeout time.Duration
	// MaxFileBytes bounds a file's body. Default 64 MiB.
	MaxFileBytes int64
	// MaxFileDuration bounds what a compressed file (Opus, MP3, FLAC)
	// decodes to: a few bytes of it can stand for hours of silence.
	// Default 1 h.
	MaxFileDuration time.Duration
	// NewOpusDecoder makes an Opus decoder for a stream or file
	// (libopus, from package codec/opus, which the service wires in so
	// that this package builds without cgo). Nil refuses Opus.
	NewOpusDecoder container.NewOpusDecoder
	// FetchURLs lets POST /v1/listen fetch {"url": ...} bodies, from
	// public addresses only. Off by default: a server that fetches what
	// clients name can be turned on the network behind it.
	FetchURLs bool
	// FetchClient fetches URLs when FetchURLs is on. Default: a client
	// that dials public addresses only, with a 60 s timeout.
	FetchClient *http.Client
	// CheckOrigin vets browser origins; nil allows every origin.
	CheckOrigin func(*http.Request) bool
	// Clock is the time the rate guard and the pings read. Default
	// clock.System().
	// Refusals counts what is turned away, by reason, for the metrics.
	// Default: nothing is counted.
	Refusals bridge.Refusals
	Clock    clock.Clock
	// Logger receives the streams' logs. Default slog.Default().
	Logger *slog.Logger
}

// WithDefaults returns c with every zero field set to its default.
func (c Config) WithDefaults() Config {
	config.Default(&c.PingInterval, 20*time.Second)
	config.Default(&c.IdleTimeout, 60*time.Second)
	config.Default(&c.CloseTimeout, 60*time.Second)
	config.Default(&c.MaxFrameBytes, 256<<10)
	config.Default(&c.MaxFileBytes, 64<<20)
	config.Default(&c.MaxFileDuration, time.Hour)
	config.Default(&c.Model.Arch, "whisper")
	if c.CheckOrigin == nil {
		c.CheckOrigin = func(*http.Request) bool { return true }
	}
	if c.FetchClient == nil {
		c.FetchClient = publicClient(60 * time.Second)
	}
	c.Clock = clock.Or(c.Clock)
	c.Logger = config.Logger(c.Logger)
	if c.Refusals == nil {
		c.Refusals = bridge.NoRefusals{}
	}
	return c
}

// Validate reports every problem of c after defaults are applied, wrapped
// in ErrBadConfig.
func (c Config) Validate() error {
	c = c.WithDefaults()
	var p config.Problems
	if c.Model.Name == "" {
		p.Addf("Model.Name is required")
	}
	if c.CloseTimeout < 0 || c.MaxFileBytes < 0 || c.MaxFileDuration < 0 {
		p.Addf("CloseTimeout, MaxFileBytes and MaxFileDuration must be positive")
	}
	if c.RateGuard.Burst < 0 || c.RateGuard.Speed < 0 {
		p.Addf("RateGuard's Burst and Speed must not be negative")
	}
	p.Add(c.socket().Validate())
	return p.Err(ErrBadConfig)
}

// Close reasons of Deepgram's live API.
const (
	// ReasonNoAudio goes with 1011 when no audio came for MediaTimeout.
	ReasonNoAudio = "NET-0001: no audio received within the timeout window"
	// reasonBadData prefixes the 1008 of audio that cannot be decoded.
	reasonBadData = "DATA-0000: "
)

// socket is the session skeleton's part of c. Browsers send their key as
// the subprotocol offer "token, KEY"; the upgrade selects "token".
func (c Config) socket() wsconn.Config {
	return wsconn.Config{
		Refusals:     c.Refusals,
		PingInterval: c.PingInterval, ReadTimeout: c.IdleTimeout, MaxMessageBytes: c.MaxFrameBytes,
		MaxDuration: c.MaxDuration, MediaTimeout: c.MediaTimeout,
		NoMediaCode: websocket.CloseInternalServerErr, NoMediaReason: ReasonNoAudio,
		Subprotocols:   []string{"token", "bearer"},
		ReadBufferSize: 8192, CheckOrigin: c.CheckOrigin, NormalReason: "stream closed",
		Clock: c.Clock, Logger: c.Logger,
	}
}
