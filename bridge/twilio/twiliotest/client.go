package twiliotest

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/callscribe/callscribe/bridge/twilio/wire"
)

// Client plays the platform's side of a stream over a WebSocket: it sends the
// messages a StreamEncoder produces. Tests, examples and the load generator
// use it to call a server as the platform would. Its methods are safe for
// concurrent use, so a key press can be sent while Play runs.
type Client struct {
	mu   sync.Mutex
	conn *websocket.Conn
	enc  *StreamEncoder
}

// Dial opens a WebSocket to url (ws:// or wss://) and returns a client that
// plays the stream info describes on it. The client owns the connection's
// writing side; reading (for the transcripts the server sends back) stays
// with the caller through Conn.
//
// With info.AuthToken set, the upgrade carries X-Twilio-Signature as the
// platform signs it. A refused upgrade returns a *HandshakeError.
func Dial(ctx context.Context, url string, info StreamInfo) (*Client, error) {
	return DialWith(ctx, websocket.DefaultDialer, url, info)
}

// DialWith is Dial on d: for a server behind a proxy whose certificate the
// default dialer does not trust, for example.
func DialWith(ctx context.Context, d *websocket.Dialer, url string, info StreamInfo) (*Client, error) {
	var header http.Header
	if info.AuthToken != "" {
		header = http.Header{"X-Twilio-Signature": {Sign(info.AuthToken, url)}}
	}
	conn, resp, err := d.DialContext(ctx, url, header)
	var body []byte
	if resp != nil && resp.Body != nil {
		body, _ = io.ReadAll(io.LimitReader(resp.Body, 4096))
		resp.Body.Close()
	}
	if err != nil {
		if errors.Is(err, websocket.ErrBadHandshake) && resp != nil {
			return nil, fmt.Errorf("twiliotest: dial %s: %w", url, &HandshakeError{StatusCode: resp.StatusCode, Body: string(body)})
		}
		return nil, fmt.Errorf("twiliotest: dial %s: %w", url, err)
	}
	return &Client{conn: conn, enc: NewStreamEncoder(info)}, nil
}

// HandshakeError is an upgrade the server refused with an HTTP answer.
type HandshakeError struct {
	StatusCode int
	Body       string
}

func (e *HandshakeError) Error() string {
	return fmt.Sprintf("upgrade refused: %d %s", e.StatusCode, strings.TrimSpace(e.Body))
}

// Sign returns the X-Twilio-Signature of a request without parameters to
// url, as the platform computes it with the account's auth token: the
// base64 HMAC-SHA1 of the URL.
func Sign(authToken, url string) string {
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(url))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Conn returns the underlying connection, for reading what the server sends.
func (c *Client) Conn() *websocket.Conn { return c.conn }

// Begin sends connected then start, which is how every stream opens.
func (c *Client) Begin() error {
	if err := c.send((*StreamEncoder).Connected); err != nil {
		return err
	}
	return c.send((*StreamEncoder).Start)
}

// SendStop sends the stop message.
func (c *Client) SendStop() error { return c.send((*StreamEncoder).Stop) }

// SendMedia sends one chunk of μ-law audio on track at the track's position.
func (c *Client) SendMedia(track wire.Track, audio []byte) error {
	return c.send(func(e *StreamEncoder) []byte { return e.Media(track, audio) })
}

// SendDTMF sends a key press.
func (c *Client) SendDTMF(digit string) error {
	return c.send(func(e *StreamEncoder) []byte { return e.DTMF(digit) })
}

// SendRaw sends data as one text message, for tests of malformed input.
func (c *Client) SendRaw(data []byte) error {
	return c.send(func(*StreamEncoder) []byte { return data })
}

func (c *Client) send(message func(*StreamEncoder) []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.conn.WriteMessage(websocket.TextMessage, message(c.enc)); err != nil {
		return fmt.Errorf("twiliotest: send: %w", err)
	}
	return nil
}

// Close sends a normal close frame and closes the connection without
// waiting for the server's reply.
func (c *Client) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	deadline := time.Now().Add(time.Second)
	frame := websocket.FormatCloseMessage(websocket.CloseNormalClosure, "")
	writeErr := c.conn.WriteControl(websocket.CloseMessage, frame, deadline)
	closeErr := c.conn.Close()
	if writeErr != nil && !errors.Is(writeErr, websocket.ErrCloseSent) {
		return fmt.Errorf("twiliotest: close: %w", writeErr)
	}
	return closeErr
}
