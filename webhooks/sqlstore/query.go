package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/callscribe/callscribe/webhooks"
)

// Deliveries implements webhooks.Outbox.
func (s *Store) Deliveries(ctx context.Context, q webhooks.DeliveryQuery) ([]webhooks.Delivery, error) {
	where, args := `d.id > ?`, []any{q.AfterID}
	add := func(cond string, v any) {
		where += ` AND ` + cond
		args = append(args, v)
	}
	if q.ID != 0 {
		add(`d.id = ?`, q.ID)
	}
	if q.CallID != "" {
		add(`d.call_id = ?`, q.CallID)
	}
	if q.EndpointID != "" {
		add(`d.endpoint_id = ?`, q.EndpointID)
	}
	if q.Status != "" {
		add(`d.status = ?`, string(q.Status))
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 100
	}
	args = append(args, limit)
	rows, err := s.db.Query(ctx, s.q(`SELECT `+deliveryColumns+`
		FROM webhook_deliveries d JOIN webhook_messages m ON m.id = d.message_id
		WHERE `+where+` ORDER BY d.id LIMIT ?`), args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: deliveries: %w", err)
	}
	defer rows.Close()
	var out []webhooks.Delivery
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: deliveries: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Pending implements webhooks.Outbox.
func (s *Store) Pending(ctx context.Context) (int, error) {
	rows, err := s.db.Query(ctx, `SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending'`)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: pending: %w", err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		if err := rows.Scan(&n); err != nil {
			return 0, fmt.Errorf("sqlstore: pending: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("sqlstore: pending: %w", err)
	}
	return n, nil
}

// Attempts implements webhooks.Outbox.
func (s *Store) Attempts(ctx context.Context, deliveryID int64) ([]webhooks.Attempt, error) {
	rows, err := s.db.Query(ctx, s.q(`SELECT n, started_at, duration_ms, status_code, error, response
		FROM webhook_attempts WHERE delivery_id = ? ORDER BY n`), deliveryID)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: attempts: %w", err)
	}
	defer rows.Close()
	var out []webhooks.Attempt
	for rows.Next() {
		a := webhooks.Attempt{DeliveryID: deliveryID}
		var started int64
		if err := rows.Scan(&a.N, &started, &a.DurationMS, &a.StatusCode, &a.Error, &a.Response); err != nil {
			return nil, fmt.Errorf("sqlstore: attempts: %w", err)
		}
		a.StartedAt = fromMS(started)
		out = append(out, a)
	}
	return out, rows.Err()
}

// Prune implements webhooks.Outbox.
func (s *Store) Prune(ctx context.Context, r webhooks.PruneRequest) (webhooks.PruneResult, error) {
	var res webhooks.PruneResult
	exec := func(dst *int64, query string, args ...any) error {
		n, err := s.db.Exec(ctx, s.q(query), args...)
		*dst += n
		return err
	}
	var err error
	if !r.DeliveredBefore.IsZero() {
		err = exec(&res.Deliveries, `DELETE FROM webhook_deliveries WHERE status = 'delivered' AND updated_at < ?`, ms(r.DeliveredBefore))
	}
	if err == nil && !r.DeadBefore.IsZero() {
		err = exec(&res.Deliveries, `DELETE FROM webhook_deliveries WHERE status = 'dead' AND updated_at < ?`, ms(r.DeadBefore))
	}
	if cut := earliest(r.DeliveredBefore, r.DeadBefore); err == nil && cut > 0 {
		err = exec(&res.Messages, `DELETE FROM webhook_messages WHERE created_at < ?
			AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.message_id = webhook_messages.id)`, cut)
	}
	if err == nil && !r.TranscriptsBefore.IsZero() {
		cut := ms(r.TranscriptsBefore)
		err = exec(&res.Transcripts, `DELETE FROM transcript_calls
			WHERE (ended_at > 0 AND ended_at < ?) OR (ended_at = 0 AND updated_at < ?)`, cut, cut)
	}
	if err == nil && !r.EventsBefore.IsZero() {
		cut := ms(r.EventsBefore)
		var n int64
		err = exec(&n, `DELETE FROM call_events WHERE created_at < ?`, cut)
		if err == nil {
			err = exec(&n, `DELETE FROM calls WHERE ended_at > 0 AND ended_at < ?`, cut)
		}
	}
	if err != nil {
		return res, fmt.Errorf("sqlstore: prune: %w", err)
	}
	return res, nil
}

// earliest returns the earliest non-zero time in milliseconds, or 0.
func earliest(ts ...time.Time) int64 {
	var out int64
	for _, t := range ts {
		if v := ms(t); v != 0 && (out == 0 || v < out) {
			out = v
		}
	}
	return out
}
