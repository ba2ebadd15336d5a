package webhooks

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/callscribe/callscribe/webhooks/signature"
)

// responseSnippet bounds the part of a response body kept with an attempt.
const responseSnippet = 512

// storeTimeout bounds store writes that must happen even during shutdown.
const storeTimeout = 10 * time.Second

// result is what one HTTP request produced.
type result struct {
	start time.Time
	took  time.Duration
	code  int
	err   error
	body  []byte
	hint  time.Duration
}

// success reports a 2xx answer.
func (r *result) success() bool { return r.code >= 200 && r.code <= 299 }

// attempt makes one request for dl and records its outcome.
func (d *Dispatcher) attempt(ctx context.Context, ep Endpoint, dl Delivery, l lease) {
	log := d.log.With("call_id", dl.CallID, "endpoint", ep.ID, "delivery_id", dl.ID, "webhook_id", dl.MessageID, "type", dl.Type)
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
	defer cancel()
	if d.clock.Now().Add(d.cfg.RequestTimeout).After(l.until) {
		// Started too late: the lease could expire mid-request and another
		// worker send the same message. Give the delivery back.
		if err := d.store.Complete(wctx, Completion{DeliveryID: dl.ID, Owner: l.token, Now: d.clock.Now()}); err != nil {
			log.Warn("webhooks: releasing stale claim", "error", err)
		}
		return
	}
	res := d.send(ctx, &ep, &dl)
	now := d.clock.Now()
	c := Completion{DeliveryID: dl.ID, Owner: l.token, Now: now}
	if ctx.Err() != nil && !res.success() {
		// Shutting down: the attempt does not count; release the claim.
		if err := d.store.Complete(wctx, c); err != nil {
			log.Warn("webhooks: releasing delivery", "error", err)
		}
		return
	}
	c.Attempt = &Attempt{
		DeliveryID: dl.ID, N: dl.Attempts + 1, StartedAt: res.start, DurationMS: res.took.Milliseconds(),
		StatusCode: res.code, Response: string(bytes.ToValidUTF8(res.body[:min(len(res.body), responseSnippet)], nil)),
	}
	if res.err != nil {
		c.Attempt.Error = res.err.Error()
	}
	d.metrics.Attempts.Add(1)
	log = log.With("attempt", c.Attempt.N, "status", res.code)
	if res.success() {
		c.Status = StatusDelivered
		d.metrics.Delivered.Add(1)
		d.mu.Lock()
		d.breakerLocked(ep.ID).Success()
		d.mu.Unlock()
		log.Debug("webhooks: delivered", "took", res.took)
	} else {
		d.failed(wctx, &ep, &dl, &res, &c, log)
	}
	if err := d.store.Complete(wctx, c); err != nil {
		log.Error("webhooks: recording attempt", "error", err)
	}
}

// failed decides what follows a failed attempt: disabling the endpoint on
// 410, the breaker, and the next attempt or the dead letter.
func (d *Dispatcher) failed(ctx context.Context, ep *Endpoint, dl *Delivery, res *result, c *Completion, log *slog.Logger) {
	if res.code == http.StatusGone {
		if err := d.store.SetEndpointDisabled(ctx, ep.ID, true, "410 Gone at "+c.Now.UTC().Format(time.RFC3339)); err != nil {
			log.Error("webhooks: disabling endpoint", "error", err)
		}
		d.metrics.EndpointsDisabled.Add(1)
		log.Warn("webhooks: endpoint answered 410 Gone; disabled")
	} else {
		d.mu.Lock()
		opened := d.breakerLocked(ep.ID).Failure(c.Now)
		d.mu.Unlock()
		if opened {
			d.metrics.BreakerOpens.Add(1)
			log.Warn("webhooks: circuit breaker opened", "cooldown", d.cfg.BreakerCooldown)
		}
	}
	delay, ok := d.sched.Next(dl.Tries+1, c.Now.Sub(dl.BaseAt), res.hint, d.rand())
	if !ok {
		c.Status = StatusDead
		d.metrics.DeadLettered.Add(1)
		log.Error("webhooks: delivery failed for good; dead letter", "error", c.Attempt.Error)
		return
	}
	c.Status, c.NextAt = StatusPending, c.Now.Add(delay)
	d.metrics.Retries.Add(1)
	log.Warn("webhooks: delivery failed; will retry", "error", c.Attempt.Error, "retry_in", delay)
}

// send makes the signed request. Its error is set when no response arrived.
func (d *Dispatcher) send(ctx context.Context, ep *Endpoint, dl *Delivery) (res result) {
	res.start = d.clock.Now()
	began := time.Now()
	defer func() { res.took = time.Since(began) }()
	secrets, err := ep.secrets()
	if err != nil {
		res.err = err
		return res
	}
	u, err := parseEndpointURL(ep.URL)
	if err != nil {
		res.err = err
		return res
	}
	if pointsAtSelf(u, d.cfg.SelfAddrs) {
		res.err = ErrSelfAddress
		return res
	}
	rctx, cancel := context.WithTimeout(ctx, d.cfg.RequestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodPost, u.String(), bytes.NewReader(dl.Payload))
	if err != nil {
		res.err = err
		return res
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "callscribe-webhooks/1")
	signature.SetHeaders(req.Header, dl.MessageID, d.clock.Now(), dl.Payload, secrets...)
	resp, err := d.client.Do(req)
	if err != nil {
		res.err = err
		return res
	}
	defer resp.Body.Close()
	res.code = resp.StatusCode
	res.hint = retryAfter(resp.Header.Get("Retry-After"), res.start)
	res.body, err = readLimited(resp.Body, d.cfg.MaxResponseBytes)
	switch {
	case res.success():
	case res.code >= 300 && res.code <= 399:
		res.err = fmt.Errorf("status %d: redirect to %q not followed", res.code, resp.Header.Get("Location"))
	case err != nil:
		res.err = fmt.Errorf("status %d, reading response: %w", res.code, err)
	default:
		res.err = fmt.Errorf("status %d", res.code)
	}
	return res
}

// readLimited reads at most n bytes of r.
func readLimited(r io.Reader, n int64) ([]byte, error) {
	return io.ReadAll(io.LimitReader(r, n))
}
