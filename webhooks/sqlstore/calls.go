package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/callscribe/callscribe/bridge/call"
	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/webhooks"
)

// The store is also the call hub's registry of open calls: the same
// database as the outbox, so that a node that starts again, or survives
// another, finds the calls left open beside their stored transcripts.
var _ call.Registry = (*Store)(nil)

// OpenCall implements call.Registry.
func (s *Store) OpenCall(ctx context.Context, rec call.CallRecord) error {
	info, err := json.Marshal(rec.Info)
	if err != nil {
		return fmt.Errorf("sqlstore: open call %s: %w", rec.CallID, err)
	}
	_, err = s.db.Exec(ctx, s.q(`INSERT INTO calls (call_id, call_key, node, lease_until, info, started_at, last_seq, media_sec)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
		rec.CallID, rec.Key, rec.Node, ms(rec.LeaseUntil), string(info), ms(rec.StartedAt), int64(rec.LastSeq), rec.MediaSec)
	if err != nil {
		return fmt.Errorf("sqlstore: open call %s: %w", rec.CallID, err)
	}
	return nil
}

// RenewCalls implements call.Registry.
func (s *Store) RenewCalls(ctx context.Context, node string, until time.Time, progress []call.CallProgress) error {
	err := s.db.InTx(ctx, func(tx Querier) error {
		if _, err := tx.Exec(ctx, s.q(`UPDATE calls SET lease_until = ? WHERE node = ? AND ended_at = 0`), ms(until), node); err != nil {
			return err
		}
		for _, p := range progress {
			if _, err := tx.Exec(ctx, s.q(`UPDATE calls SET last_seq = CASE WHEN last_seq < ? THEN ? ELSE last_seq END,
				media_sec = CASE WHEN media_sec < ? THEN ? ELSE media_sec END
				WHERE call_id = ? AND node = ? AND ended_at = 0`),
				int64(p.LastSeq), int64(p.LastSeq), p.MediaSec, p.MediaSec, p.CallID, node); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlstore: renew calls of %s: %w", node, err)
	}
	return nil
}

// EndCall implements call.Registry.
func (s *Store) EndCall(ctx context.Context, callID string, at time.Time) error {
	if _, err := s.db.Exec(ctx, s.q(`UPDATE calls SET ended_at = ? WHERE call_id = ? AND ended_at = 0`), ms(at), callID); err != nil {
		return fmt.Errorf("sqlstore: end call %s: %w", callID, err)
	}
	return nil
}

// TakeOrphans implements call.Registry. The claim is one UPDATE whose
// condition each row re-checks under its lock, so two nodes scanning at
// once never take the same call.
func (s *Store) TakeOrphans(ctx context.Context, q call.OrphanQuery) ([]call.CallRecord, error) {
	var out []call.CallRecord
	err := s.db.InTx(ctx, func(tx Querier) error {
		out = nil
		// claimed_at keeps a process from taking again what it took
		// since it booted (it is ending those); a later boot takes them
		// if it did not finish.
		rows, err := tx.Query(ctx, s.q(`UPDATE calls SET node = ?, lease_until = ?, claimed_at = ?
			WHERE ended_at = 0 AND (lease_until < ? OR (node = ? AND started_at < ? AND claimed_at < ?))
			RETURNING call_id, call_key, info, started_at, last_seq, media_sec`),
			q.Node, ms(q.Until), ms(q.Now), ms(q.Now), q.Node, ms(q.Boot), ms(q.Boot))
		if err != nil {
			return err
		}
		for rows.Next() {
			var rec call.CallRecord
			var info string
			var started, seq int64
			if err := rows.Scan(&rec.CallID, &rec.Key, &info, &started, &seq, &rec.MediaSec); err != nil {
				rows.Close()
				return err
			}
			if err := json.Unmarshal([]byte(info), &rec.Info); err != nil {
				rows.Close()
				return fmt.Errorf("call %s: info: %w", rec.CallID, err)
			}
			rec.Node, rec.LeaseUntil, rec.StartedAt, rec.LastSeq = q.Node, q.Until, fromMS(started), uint64(seq)
			out = append(out, rec)
		}
		if err := closeRows(rows); err != nil {
			return err
		}
		// Events stored after the last renewal carry later seqs.
		for i := range out {
			rows, err := tx.Query(ctx, s.q(`SELECT COALESCE(MAX(seq), 0) FROM webhook_messages WHERE call_id = ?`), out[i].CallID)
			if err != nil {
				return err
			}
			var seq int64
			if rows.Next() {
				err = rows.Scan(&seq)
			}
			if cerr := closeRows(rows); err == nil {
				err = cerr
			}
			if err != nil {
				return err
			}
			out[i].LastSeq = max(out[i].LastSeq, uint64(seq))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: take orphaned calls: %w", err)
	}
	return out, nil
}

// CallUtterances implements call.Registry: the stored transcript's
// utterances, none if nothing was stored.
func (s *Store) CallUtterances(ctx context.Context, callID string) ([]event.Utterance, error) {
	t, err := s.Transcript(ctx, callID)
	if errors.Is(err, webhooks.ErrNotFound) {
		return nil, nil
	}
	return t.Utterances, err
}
