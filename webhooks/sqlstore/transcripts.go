package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/callscribe/callscribe/bridge/event"
	"github.com/callscribe/callscribe/webhooks"
)

// putTranscript stores an entry's utterances and call end, in tx.
func (s *Store) putTranscript(ctx context.Context, tx Querier, e webhooks.Entry) error {
	if len(e.Utterances) == 0 && !e.CallEnded {
		return nil
	}
	now, ended := ms(e.Message.CreatedAt), int64(0)
	if e.CallEnded {
		ended = now
	}
	if _, err := tx.Exec(ctx, s.q(`INSERT INTO transcript_calls (call_id, updated_at, ended_at) VALUES (?, ?, ?)
		ON CONFLICT (call_id) DO UPDATE SET updated_at = excluded.updated_at,
			ended_at = CASE WHEN excluded.ended_at > 0 THEN excluded.ended_at ELSE transcript_calls.ended_at END`),
		e.Message.CallID, now, ended); err != nil {
		return fmt.Errorf("transcript call: %w", err)
	}
	for _, u := range e.Utterances {
		data, err := json.Marshal(u)
		if err != nil {
			return err
		}
		key := u.UtteranceID
		if key == "" {
			key = "@" + strconv.FormatFloat(u.Start, 'f', 3, 64)
		}
		if _, err := tx.Exec(ctx, s.q(`INSERT INTO transcript_utterances (call_id, track, utterance_id, start_sec, data)
			VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (call_id, track, utterance_id) DO UPDATE SET start_sec = excluded.start_sec, data = excluded.data`),
			e.Message.CallID, u.Track, key, u.Start, string(data)); err != nil {
			return fmt.Errorf("utterance: %w", err)
		}
	}
	return nil
}

// Transcript implements webhooks.TranscriptStore.
func (s *Store) Transcript(ctx context.Context, callID string) (webhooks.Transcript, error) {
	t := webhooks.Transcript{CallID: callID}
	rows, err := s.db.Query(ctx, s.q(`SELECT updated_at, ended_at FROM transcript_calls WHERE call_id = ?`), callID)
	if err != nil {
		return t, fmt.Errorf("sqlstore: transcript: %w", err)
	}
	found := rows.Next()
	var updated, ended int64
	if found {
		err = rows.Scan(&updated, &ended)
	}
	if cerr := closeRows(rows); err == nil {
		err = cerr
	}
	switch {
	case err != nil:
		return t, fmt.Errorf("sqlstore: transcript: %w", err)
	case !found:
		return t, fmt.Errorf("%w: transcript of call %q", webhooks.ErrNotFound, callID)
	}
	t.UpdatedAt, t.EndedAt, t.Ended = fromMS(updated), fromMS(ended), ended > 0
	rows, err = s.db.Query(ctx, s.q(`SELECT data FROM transcript_utterances WHERE call_id = ? ORDER BY start_sec, track`), callID)
	if err != nil {
		return t, fmt.Errorf("sqlstore: transcript: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var data string
		var u event.Utterance
		if err := rows.Scan(&data); err != nil {
			return t, fmt.Errorf("sqlstore: transcript: %w", err)
		}
		if err := json.Unmarshal([]byte(data), &u); err != nil {
			return t, fmt.Errorf("sqlstore: transcript utterance: %w", err)
		}
		t.Utterances = append(t.Utterances, u)
	}
	return t, rows.Err()
}
