package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/callscribe/callscribe/bridge/event"
)

// EventLog is the store's log of every call's events, partials included,
// for nodes that follow calls another node holds (call.EventLog). It is
// written as one of the hub's sinks; a node reads it from the seq its
// subscribers need. Dialect.NotifyEvent, when set, announces each event in
// the same transaction (PostgreSQL's NOTIFY), so followers need not poll.
type EventLog struct{ s *Store }

// EventLog returns the store's event log.
func (s *Store) EventLog() *EventLog { return &EventLog{s: s} }

// Publish stores e, as a call.Sink. Storing an event twice keeps the
// first.
func (l *EventLog) Publish(ctx context.Context, e event.Event) error {
	payload, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("sqlstore: event log: %w", err)
	}
	// The store keeps no clock: an event's age is the hub's stamp on it.
	at, err := time.Parse(time.RFC3339Nano, e.Time)
	if err != nil {
		return fmt.Errorf("sqlstore: event log: call %s seq %d: time %q: %w", e.CallID, e.Seq, e.Time, err)
	}
	s := l.s
	err = s.db.InTx(ctx, func(tx Querier) error {
		if _, err := tx.Exec(ctx, s.q(`INSERT INTO call_events (call_id, seq, type, payload, created_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (call_id, seq) DO NOTHING`),
			e.CallID, int64(e.Seq), e.WebhookType(), payload, ms(at)); err != nil {
			return err
		}
		if s.d.NotifyEvent != "" {
			if _, err := tx.Exec(ctx, s.q(s.d.NotifyEvent), e.CallID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlstore: event log: call %s seq %d: %w", e.CallID, e.Seq, err)
	}
	return nil
}

// Events returns a call's stored events with seq >= from, in seq order, at
// most limit (call.EventLog).
func (l *EventLog) Events(ctx context.Context, callID string, from uint64, limit int) ([]event.Event, error) {
	s := l.s
	rows, err := s.db.Query(ctx, s.q(`SELECT payload FROM call_events WHERE call_id = ? AND seq >= ? ORDER BY seq LIMIT ?`),
		callID, int64(from), limit)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: events of %s: %w", callID, err)
	}
	defer rows.Close()
	var out []event.Event
	for rows.Next() {
		var payload []byte
		var e event.Event
		if err := rows.Scan(&payload); err != nil {
			return nil, fmt.Errorf("sqlstore: events of %s: %w", callID, err)
		}
		if err := json.Unmarshal(payload, &e); err != nil {
			return nil, fmt.Errorf("sqlstore: events of %s: %w", callID, err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
