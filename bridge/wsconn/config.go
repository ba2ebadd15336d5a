package wsconn

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/callscribe/callscribe/bridge"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge/clock"
	"github.com/callscribe/callscribe/bridge/config"
)

// Config tunes a Server and its sessions. A zero field takes the default
// named in its comment.
type Config struct {
	// PingInterval is how often the writer pings the peer, so that proxies
	// with idle timeouts (nginx's default is 60 s) keep a quiet connection.
	// Default 20 s.
	PingInterval time.Duration
	// ReadTimeout ends a session whose peer sent nothing, not even a pong,
	// for this long: a dead network path. It must exceed PingInterval.
	// Default 60 s.
	ReadTimeout time.Duration
	// WriteTimeout bounds one write, so that a peer that stops reading
	// cannot hold the writer; it also bounds the wait for the peer's answer
	// to a close frame. Default 10 s.
	WriteTimeout time.Duration
	// MaxMessageBytes is the largest message read; a bigger one ends the
	// session with 1009. Default 64 KiB.
	MaxMessageBytes int64
	// ReadBufferSize and WriteBufferSize size the connection's I/O
	// buffers. Default 4096 each.
	ReadBufferSize, WriteBufferSize int
	// CheckOrigin vets a browser's Origin header; nil allows only requests
	// whose Origin matches their Host (gorilla/websocket's rule).
	CheckOrigin func(r *http.Request) bool
	// NormalReason goes with code 1000 when a session ends normally
	// (ErrDone) or its peer left. Default "stream closed".
	NormalReason string
	// MaxDuration ends a session that lasts longer, with 1008
	// ReasonTooLong: a call that never hangs up must not hold a decoder
	// forever. 0 sets no limit.
	MaxDuration time.Duration
	// MediaTimeout ends a session whose Handler reported no media
	// (Session.MediaArrived) for this long, with 1008 ReasonNoMedia: a
	// peer that answers pings but sends no audio. The clock starts at
	// Open. 0 sets no limit.
	MediaTimeout time.Duration
	// NoMediaCode and NoMediaReason close a session that reached
	// MediaTimeout: a protocol with codes of its own for it (Deepgram's
	// 1011 "NET-0001") sets them. Default 1008 and ReasonNoMedia.
	NoMediaCode   int
	NoMediaReason string
	// Subprotocols are the WebSocket subprotocols the server may select,
	// in its order of preference, among those the client offers.
	// Browsers that cannot set headers send a credential this way
	// (Sec-WebSocket-Protocol: token, KEY): the server selects "token",
	// never the key. Default none.
	Subprotocols []string
	// Clock times the pings. Default clock.System().
	// Refusals counts what is turned away, by reason, for the metrics.
	// Default: nothing is counted.
	Refusals bridge.Refusals
	Clock    clock.Clock
	// Logger receives the sessions' logs. Default slog.Default().
	Logger *slog.Logger
}

// WithDefaults returns c with every zero field set to its default.
func (c Config) WithDefaults() Config {
	config.Default(&c.PingInterval, 20*time.Second)
	config.Default(&c.ReadTimeout, 60*time.Second)
	config.Default(&c.WriteTimeout, 10*time.Second)
	config.Default(&c.MaxMessageBytes, 64<<10)
	config.Default(&c.ReadBufferSize, 4096)
	config.Default(&c.WriteBufferSize, 4096)
	config.Default(&c.NormalReason, "stream closed")
	config.Default(&c.NoMediaCode, websocket.ClosePolicyViolation)
	config.Default(&c.NoMediaReason, ReasonNoMedia)
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
	p.Positive("PingInterval", c.PingInterval)
	p.Positive("ReadTimeout", c.ReadTimeout)
	p.Positive("WriteTimeout", c.WriteTimeout)
	if c.MaxDuration < 0 || c.MediaTimeout < 0 {
		p.Addf("MaxDuration (%s) and MediaTimeout (%s) must not be negative", c.MaxDuration, c.MediaTimeout)
	}
	if c.ReadTimeout <= c.PingInterval {
		p.Addf("ReadTimeout (%s) must exceed PingInterval (%s)", c.ReadTimeout, c.PingInterval)
	}
	if c.MaxMessageBytes < 0 || c.ReadBufferSize < 0 || c.WriteBufferSize < 0 {
		p.Addf("MaxMessageBytes and buffer sizes must be positive")
	}
	if len(c.NormalReason) > MaxReasonBytes || len(c.NoMediaReason) > MaxReasonBytes {
		p.Addf("NormalReason and NoMediaReason must fit a close frame's %d bytes", MaxReasonBytes)
	}
	return p.Err(ErrBadConfig)
}
