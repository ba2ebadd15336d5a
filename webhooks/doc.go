// Package webhooks delivers call events to CRM endpoints by webhook, durably
// and in order.
//
// A producer hands every event to [Dispatcher.Enqueue]. Enqueue writes one
// outbox row per subscribed endpoint, and the final utterances of the call
// for its transcript, in one store transaction; an event counts as produced
// only once Enqueue returned nil, so a process killed at any point after that
// loses nothing: the rows are delivered by whichever dispatcher runs on the
// store next.
//
// [Dispatcher.Run] claims due rows per endpoint (at most Config.Concurrency
// at a time, under a lease so that a dead node's claims return), signs each
// request as the Standard Webhooks specification describes (see package
// signature), and records every attempt. A 2xx answer is success; any other
// answer, redirects included, or a transport error or timeout is a failure
// that is retried on the exponential [Schedule] with jitter until
// Config.RetryFor has passed, when the row becomes a dead letter. 410 Gone
// disables the endpoint. A later event of a call is never sent to an endpoint
// while an earlier event of the same call is still pending for it, so each
// endpoint sees every call in order. An endpoint that keeps failing trips a
// [Breaker] and is left alone for a cool-down period.
//
// [Dispatcher.AdminHandler] serves the endpoint and delivery admin API under
// /v1/webhooks/ and [TranscriptHandler] serves stored transcripts under
// /v1/calls/{call_id}/transcript. The [Store] is an interface; package
// sqlitestore provides the embedded default and package pgstore a PostgreSQL
// implementation for several nodes sharing one outbox.
package webhooks
