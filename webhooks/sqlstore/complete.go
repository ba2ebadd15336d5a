package sqlstore

import (
	"context"
	"fmt"

	"github.com/callscribe/callscribe/webhooks"
)

// Complete implements webhooks.Outbox.
func (s *Store) Complete(ctx context.Context, c webhooks.Completion) error {
	if c.Attempt == nil {
		n, err := s.db.Exec(ctx, s.q(`UPDATE webhook_deliveries SET lease_owner = '', lease_until = 0
			WHERE id = ? AND lease_owner = ?`), c.DeliveryID, c.Owner)
		if err != nil {
			return fmt.Errorf("sqlstore: release %d: %w", c.DeliveryID, err)
		}
		if n == 0 {
			return fmt.Errorf("%w: delivery %d", webhooks.ErrLeaseLost, c.DeliveryID)
		}
		return nil
	}
	a, now := c.Attempt, ms(c.Now)
	next, failed := now, 1
	switch c.Status {
	case webhooks.StatusPending:
		next = ms(c.NextAt)
	case webhooks.StatusDelivered:
		failed = 0
	}
	err := s.db.InTx(ctx, func(tx Querier) error {
		rows, err := tx.Query(ctx, s.q(`UPDATE webhook_deliveries
			SET status = ?, attempts = attempts + 1, tries = tries + ?, next_at = ?, lease_owner = '', lease_until = 0,
				last_status = ?, last_error = ?, updated_at = ?
			WHERE id = ? AND lease_owner = ?
			RETURNING attempts`),
			string(c.Status), failed, next, a.StatusCode, a.Error, now, c.DeliveryID, c.Owner)
		if err != nil {
			return err
		}
		n := 0
		if rows.Next() {
			err = rows.Scan(&n)
		}
		if err := closeRows(rows); err != nil {
			return err
		}
		if err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("%w: delivery %d", webhooks.ErrLeaseLost, c.DeliveryID)
		}
		_, err = tx.Exec(ctx, s.q(`INSERT INTO webhook_attempts
			(delivery_id, n, started_at, duration_ms, status_code, error, response) VALUES (?, ?, ?, ?, ?, ?, ?)`),
			c.DeliveryID, n, ms(a.StartedAt), a.DurationMS, a.StatusCode, a.Error, a.Response)
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlstore: complete %d: %w", c.DeliveryID, err)
	}
	return nil
}

// Requeue implements webhooks.Outbox.
func (s *Store) Requeue(ctx context.Context, r webhooks.RequeueRequest) (int, error) {
	now := ms(r.Now)
	where := `NOT (status = 'pending' AND lease_until > ?)`
	args := []any{now, now, now, now}
	if r.DeliveryID != 0 {
		where += ` AND id = ?`
		args = append(args, r.DeliveryID)
	}
	if r.CallID != "" {
		where += ` AND call_id = ?`
		args = append(args, r.CallID)
	}
	if r.EndpointID != "" {
		where += ` AND endpoint_id = ?`
		args = append(args, r.EndpointID)
	}
	if r.DeliveryID == 0 && r.CallID == "" {
		return 0, fmt.Errorf("sqlstore: requeue needs a delivery id or a call id")
	}
	if len(r.Statuses) > 0 {
		where += ` AND status IN (` + placeholders(len(r.Statuses)) + `)`
		for _, st := range r.Statuses {
			args = append(args, string(st))
		}
	}
	n, err := s.db.Exec(ctx, s.q(`UPDATE webhook_deliveries
		SET status = 'pending', tries = 0, base_at = ?, next_at = ?, updated_at = ?, lease_owner = '', lease_until = 0
		WHERE `+where), args...)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: requeue: %w", err)
	}
	return int(n), nil
}
