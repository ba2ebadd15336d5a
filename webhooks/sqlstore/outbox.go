package sqlstore

import (
	"context"
	"fmt"

	"github.com/callscribe/callscribe/webhooks"
)

// Enqueue implements webhooks.Outbox.
func (s *Store) Enqueue(ctx context.Context, e webhooks.Entry) (int, error) {
	m, now := e.Message, ms(e.Message.CreatedAt)
	created := 0
	err := s.db.InTx(ctx, func(tx Querier) error {
		created = 0
		if len(e.EndpointIDs) > 0 {
			// A message stored before (the one call.ended of a call, which
			// a node ending an orphaned call may produce again) is not
			// delivered twice.
			n, err := tx.Exec(ctx, s.q(`INSERT INTO webhook_messages (id, call_id, seq, type, payload, created_at)
				VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`), m.ID, m.CallID, int64(m.Seq), m.Type, m.Payload, now)
			if err != nil {
				return fmt.Errorf("message: %w", err)
			}
			if n == 0 {
				return nil
			}
		}
		for _, id := range e.EndpointIDs {
			// The endpoint may have been deleted since it was chosen.
			n, err := tx.Exec(ctx, s.q(`INSERT INTO webhook_deliveries
				(message_id, endpoint_id, call_id, status, base_at, next_at, created_at, updated_at)
				SELECT CAST(? AS TEXT), id, CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT),
					CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT) FROM webhook_endpoints WHERE id = ?`),
				m.ID, m.CallID, string(webhooks.StatusPending), now, now, now, now, id)
			if err != nil {
				return fmt.Errorf("delivery to %q: %w", id, err)
			}
			created += int(n)
		}
		return s.putTranscript(ctx, tx, e)
	})
	if err != nil {
		return 0, fmt.Errorf("sqlstore: enqueue %s: %w", m.ID, err)
	}
	return created, nil
}

// deliveryColumns are scanned by scanDelivery, from webhook_deliveries d
// joined with webhook_messages m.
const deliveryColumns = `d.id, d.message_id, d.endpoint_id, d.call_id, m.seq, m.type, d.status, d.attempts, d.tries,
	d.base_at, d.next_at, d.created_at, d.updated_at, d.last_status, d.last_error`

func scanDelivery(rows Rows, extra ...any) (webhooks.Delivery, error) {
	var (
		d                                 webhooks.Delivery
		seq, base, next, created, updated int64
		status                            string
	)
	dest := append([]any{&d.ID, &d.MessageID, &d.EndpointID, &d.CallID, &seq, &d.Type, &status, &d.Attempts, &d.Tries,
		&base, &next, &created, &updated, &d.LastStatusCode, &d.LastError}, extra...)
	if err := rows.Scan(dest...); err != nil {
		return d, err
	}
	d.Seq, d.Status = uint64(seq), webhooks.Status(status)
	d.BaseAt, d.NextAt, d.CreatedAt, d.UpdatedAt = fromMS(base), fromMS(next), fromMS(created), fromMS(updated)
	return d, nil
}

// Claim implements webhooks.Outbox.
func (s *Store) Claim(ctx context.Context, r webhooks.ClaimRequest) ([]webhooks.Delivery, error) {
	now := ms(r.Now)
	var out []webhooks.Delivery
	err := s.db.InTx(ctx, func(tx Querier) error {
		out = nil
		rows, err := tx.Query(ctx, s.q(`UPDATE webhook_deliveries SET lease_owner = ?, lease_until = ?
			WHERE id IN (
				SELECT d.id FROM webhook_deliveries d
				WHERE d.endpoint_id = ? AND d.status = 'pending' AND d.next_at <= ? AND d.lease_until <= ?
				AND EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.id = d.endpoint_id AND e.disabled = 0)
				AND NOT EXISTS (
					SELECT 1 FROM webhook_deliveries p
					WHERE p.endpoint_id = d.endpoint_id AND p.call_id = d.call_id
					AND p.status = 'pending' AND p.id < d.id)
				ORDER BY d.id LIMIT ? `+s.d.SkipLocked+`)
			RETURNING id`), r.Owner, ms(r.Now.Add(r.Lease)), r.EndpointID, now, now, r.Limit)
		if err != nil {
			return err
		}
		var ids []any
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		if err := closeRows(rows); err != nil || len(ids) == 0 {
			return err
		}
		rows, err = tx.Query(ctx, s.q(`SELECT `+deliveryColumns+`, m.payload
			FROM webhook_deliveries d JOIN webhook_messages m ON m.id = d.message_id
			WHERE d.id IN (`+placeholders(len(ids))+`) ORDER BY d.id`), ids...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var payload []byte
			d, err := scanDelivery(rows, &payload)
			if err != nil {
				return err
			}
			d.Payload = payload
			out = append(out, d)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: claim for %q: %w", r.EndpointID, err)
	}
	return out, nil
}

// closeRows closes rows and returns the iteration error, if any.
func closeRows(rows Rows) error {
	err := rows.Err()
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	return err
}
