package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/bridge/twilio/wire"
	"github.com/callscribe/callscribe/fixtures/speech"
)

// Arrival is one event the server sent back, with when it arrived in
// seconds since the call's first audio frame was sent.
type Arrival struct {
	At    float64     `json:"at"`
	Event event.Event `json:"event"`
	// NoLatency marks text a peer never committed: it counts for WER,
	// not for latency.
	NoLatency bool `json:"no_latency,omitempty"`
}

// CallResult is what one call saw.
type CallResult struct {
	Index int `json:"index"`
	// Offset is when the call started, seconds after the run began.
	Offset  float64 `json:"offset"`
	Refused bool    `json:"refused,omitempty"`
	Error   string  `json:"error,omitempty"`
	// CloseCode is the code the server closed the socket with (0: none
	// seen, the socket was closed by the bench).
	CloseCode int `json:"close_code,omitempty"`
	// Plan is how the call was to end (zero: whole, with stop).
	Plan   Plan      `json:"plan,omitzero"`
	Events []Arrival `json:"events,omitempty"`
}

// playCall dials url, plays call in real time, sends stop and collects what
// the server sends until it closes the socket or drain passes.
func playCall(ctx context.Context, url string, call Call, drain time.Duration, log *slog.Logger) CallResult {
	return playPlanned(ctx, url, call, Plan{}, drain, log)
}

// playPlanned plays call as plan says: whole and with stop, or dropped at
// plan.Cut, or dropped and resumed from there on a new stream of the same
// call SID. What every stream received is collected in one timeline.
func playPlanned(ctx context.Context, url string, call Call, plan Plan, drain time.Duration, log *slog.Logger) (res CallResult) {
	res = CallResult{Index: call.Index, Plan: plan}
	in, err := speech.MuLaw8k(call.Tracks[caller], sampleRate)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	out, err := speech.MuLaw8k(call.Tracks[agent], sampleRate)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	cut := len(in)
	if plan.Cut > 0 {
		cut = min(int(plan.Cut*float64(wire.MuLawFormat().SampleRate)), len(in), len(out))
	}
	// Every call gets its own call SID: a stream with the SID of a call
	// that ended within the server's grace period would continue it.
	id := fmt.Sprintf("%x%04d", time.Now().UnixNano(), call.Index)
	var got arrivals
	defer func() { res.Events = got.all() }()
	first, err := dialStream(ctx, url, "CAbench"+id, "MZbench"+id, &got)
	if err != nil {
		// A dial the bench itself cancelled is no refusal.
		res.Refused, res.Error = ctx.Err() == nil, err.Error()
		log.Warn("call refused at dial", "call", call.Index, "err", err)
		return res
	}
	got.start()
	playErr := first.play(ctx, in[:cut], out[:cut])
	last := first
	if plan.Cut > 0 {
		first.drop(&res, playErr)
		if res.Refused {
			return res
		}
		if plan.Resume <= 0 || playErr != nil {
			res.Error = errorText(playErr)
			return res
		}
		if playErr = sleep(ctx, plan.Resume); playErr != nil {
			res.Error = errorText(playErr)
			return res
		}
		// The platform reconnects with a new stream SID.
		if last, err = dialStream(ctx, url, "CAbench"+id, "MZbench"+id+"r", &got); err != nil {
			res.Refused, res.Error = ctx.Err() == nil, "resume: "+err.Error()
			log.Warn("call refused at resume", "call", call.Index, "err", err)
			return res
		}
		playErr = last.play(ctx, in[cut:], out[cut:])
	}
	if playErr == nil {
		playErr = last.client.SendStop()
	}
	last.finish(ctx, drain, &res)
	if playErr != nil && res.Error == "" {
		res.Error = playErr.Error()
	}
	if res.Error != "" {
		log.Warn("call ended with an error", "call", call.Index, "err", res.Error)
	}
	return res
}

// errorText is err's message, or "" for nil.
func errorText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
