package twilio

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/callscribe/callscribe/bridge"

	"github.com/callscribe/callscribe/bridge/clock"
	"github.com/callscribe/callscribe/bridge/config"
	"github.com/callscribe/callscribe/bridge/timeline"
	"github.com/callscribe/callscribe/bridge/twilio/wire"
	"github.com/callscribe/callscribe/bridge/wsconn"
)

// Config tunes the Media Streams endpoint. A zero field takes the default
// named in its comment.
type Config struct {
	// PingInterval is how often the server pings an idle peer: proxies with
	// idle timeouts (nginx's default is 60 s) must not cut a call on hold.
	// Default 20 s.
	PingInterval time.Duration
	// ReadTimeout ends a stream that has sent nothing, not even a pong, for
	// this long: a dead network path. It must exceed PingInterval.
	// Default 60 s.
	ReadTimeout time.Duration
	// CloseTimeout bounds the wait for a stream's last finals after it
	// ended. Default 60 s.
	CloseTimeout time.Duration
	// MaxBadMessages is how many unparsable messages a stream may send
	// (each ignored and counted) before it is closed. Default 50.
	MaxBadMessages int
	// Jitter is how much audio waits for a late frame; see timeline.Config.
	// Default timeline.DefaultJitter.
	Jitter time.Duration
	// RateGuard bounds how far media may run ahead of wall time.
	RateGuard timeline.RateGuardConfig
	// MaxDuration ends a stream that lasts longer (1008); 0 sets no limit.
	MaxDuration time.Duration
	// MediaTimeout ends a stream that sent no media for this long (1008):
	// the platform sends media all call long, silence included, so a
	// stream without it is broken. 0 sets no limit.
	MediaTimeout time.Duration
	// Authorize, when set, decides at start, before any audio is used,
	// whether a stream may go on. It gets the upgrade request (whose
	// context carries what the HTTP layer authenticated) and the stream's
	// custom parameters (ParamToken among them); an error closes the
	// stream with 1008 ReasonUnauthorized. The release func it returns is
	// called when the stream ends.
	Authorize func(r *http.Request, params map[string]string) (release func(), err error)
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
	config.Default(&c.ReadTimeout, 60*time.Second)
	config.Default(&c.CloseTimeout, 60*time.Second)
	config.Default(&c.MaxBadMessages, 50)
	config.Default(&c.Jitter, timeline.DefaultJitter)
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
	if c.CloseTimeout < 0 || c.Jitter < 0 {
		p.Addf("CloseTimeout (%s) and Jitter (%s) must be positive", c.CloseTimeout, c.Jitter)
	}
	if c.MaxBadMessages < 0 {
		p.Addf("MaxBadMessages must be positive, is %d", c.MaxBadMessages)
	}
	if c.RateGuard.Burst < 0 || c.RateGuard.Speed < 0 {
		p.Addf("RateGuard's Burst and Speed must not be negative")
	}
	p.Add(c.socket().Validate())
	return p.Err(ErrBadConfig)
}

// socket is the session skeleton's part of c. Telephony platforms send no
// Origin header (browsers use /v1/listen), so every origin is allowed.
func (c Config) socket() wsconn.Config {
	return wsconn.Config{
		Refusals:     c.Refusals,
		PingInterval: c.PingInterval, ReadTimeout: c.ReadTimeout, MaxMessageBytes: wire.MaxMessageBytes,
		MaxDuration: c.MaxDuration, MediaTimeout: c.MediaTimeout,
		CheckOrigin: func(*http.Request) bool { return true }, NormalReason: ReasonStreamStopped,
		Clock: c.Clock, Logger: c.Logger,
	}
}
