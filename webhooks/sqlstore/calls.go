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
func (s *Store) RenewCalls(ctx context.Context, node string, until time.Time, progress []call.CallProgress) ([]string, error) {
	var lost []string
	err := s.db.InTx(ctx, func(tx Querier) error {
		lost = nil
		if _, err := tx.Exec(ctx, s.q(`UPDATE calls SET lease_until = ? WHERE node = ? AND ended_at = 0`), ms(until), node); err != nil {
			return err
		}
		for _, p := range progress {
			n, err := tx.Exec(ctx, s.q(`UPDATE calls SET last_seq = CASE WHEN last_seq < ? THEN ? ELSE last_seq END,
				media_sec = CASE WHEN media_sec < ? THEN ? ELSE media_sec END
				WHERE call_id = ? AND node = ? AND ended_at = 0`),
				int64(p.LastSeq), int64(p.LastSeq), p.MediaSec, p.MediaSec, p.CallID, node)
			if err != nil {
				return err
			}
			if n == 0 {
				lost = append(lost, p.CallID)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: renew calls of %s: %w", node, err)
	}
	return lost, nil
}

// AdoptCall implements call.Registry.
func (s *Store) AdoptCall(ctx context.Context, key, node string, until time.Time) (call.CallRecord, bool, error) {
	var recs []call.CallRecord
	err := s.db.InTx(ctx, func(tx Querier) error {
		var err error
		recs, err = s.claimCalls(ctx, tx, `UPDATE calls SET node = ?, lease_until = ?
			WHERE call_id = (SELECT call_id FROM calls WHERE call_key = ? AND ended_at = 0 ORDER BY started_at DESC LIMIT 1)
			RETURNING `+claimedColumns, node, until, node, ms(until), key)
		return err
	})
	if err != nil {
		return call.CallRecord{}, false, fmt.Errorf("sqlstore: adopt call %s: %w", key, err)
	}
	if len(recs) == 0 {
		return call.CallRecord{}, false, nil
	}
	return recs[0], true, nil
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
		var err error
		// claimed_at keeps a process from taking again what it took
		// since it booted (it is ending those); a later boot takes them
		// if it did not finish.
		out, err = s.claimCalls(ctx, tx, `UPDATE calls SET node = ?, lease_until = ?, claimed_at = ?
			WHERE ended_at = 0 AND (lease_until < ? OR (node = ? AND started_at < ? AND claimed_at < ?))
			RETURNING `+claimedColumns, q.Node, q.Until,
			q.Node, ms(q.Until), ms(q.Now), ms(q.Now), q.Node, ms(q.Boot), ms(q.Boot))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: take orphaned calls: %w", err)
	}
	return out, nil
}

// claimedColumns are what claimCalls' UPDATE ... RETURNING must return.
const claimedColumns = `call_id, call_key, info, started_at, last_seq, media_sec`

// claimCalls runs an UPDATE that hands calls to node until until and
// returns their records. A record's LastSeq is the highest seq of the call
// anywhere in the store: events stored after the holder's last renewal
// carry later seqs.
func (s *Store) claimCalls(ctx context.Context, tx Querier, update, node string, until time.Time, args ...any) ([]call.CallRecord, error) {
	rows, err := tx.Query(ctx, s.q(update), args...)
	if err != nil {
		return nil, err
	}
	var out []call.CallRecord
	for rows.Next() {
		var rec call.CallRecord
		var info string
		var started, seq int64
		if err := rows.Scan(&rec.CallID, &rec.Key, &info, &started, &seq, &rec.MediaSec); err != nil {
			rows.Close()
			return nil, err
		}
		if err := json.Unmarshal([]byte(info), &rec.Info); err != nil {
			rows.Close()
			return nil, fmt.Errorf("call %s: info: %w", rec.CallID, err)
		}
		rec.Node, rec.LeaseUntil, rec.StartedAt, rec.LastSeq = node, until, fromMS(started), uint64(seq)
		out = append(out, rec)
	}
	if err := closeRows(rows); err != nil {
		return nil, err
	}
	for i := range out {
		seq, err := s.storedSeq(ctx, tx, out[i].CallID)
		if err != nil {
			return nil, err
		}
		out[i].LastSeq = max(out[i].LastSeq, seq)
	}
	return out, nil
}

// storedSeq is the highest seq of a call's events in the store: in the
// outbox, or in the event log, which also holds partials.
func (s *Store) storedSeq(ctx context.Context, tx Querier, callID string) (uint64, error) {
	rows, err := tx.Query(ctx, s.q(`SELECT COALESCE(MAX(seq), 0) FROM (
		SELECT seq FROM webhook_messages WHERE call_id = ?
		UNION ALL SELECT seq FROM call_events WHERE call_id = ?) AS stored`), callID, callID)
	if err != nil {
		return 0, err
	}
	var seq int64
	if rows.Next() {
		err = rows.Scan(&seq)
	}
	if cerr := closeRows(rows); err == nil {
		err = cerr
	}
	return uint64(seq), err
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

// Calls implements call.Registry.
func (s *Store) Calls(ctx context.Context, endedSince time.Time) ([]call.CallRecord, error) {
	rows, err := s.db.Query(ctx, s.q(`SELECT call_id, call_key, node, lease_until, info, started_at, last_seq, media_sec, ended_at
		FROM calls WHERE ended_at = 0 OR ended_at >= ? ORDER BY started_at, call_id`), ms(endedSince))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: calls: %w", err)
	}
	defer rows.Close()
	var out []call.CallRecord
	for rows.Next() {
		var rec call.CallRecord
		var info string
		var lease, started, seq, ended int64
		if err := rows.Scan(&rec.CallID, &rec.Key, &rec.Node, &lease, &info, &started, &seq, &rec.MediaSec, &ended); err != nil {
			return nil, fmt.Errorf("sqlstore: calls: %w", err)
		}
		if err := json.Unmarshal([]byte(info), &rec.Info); err != nil {
			return nil, fmt.Errorf("sqlstore: calls: %s: %w", rec.CallID, err)
		}
		rec.LeaseUntil, rec.StartedAt, rec.LastSeq, rec.EndedAt = fromMS(lease), fromMS(started), uint64(seq), fromMS(ended)
		out = append(out, rec)
	}
	return out, rows.Err()
}
