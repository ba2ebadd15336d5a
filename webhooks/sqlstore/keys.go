package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/callscribe/callscribe/bridge/auth"
)

// The store keeps the API keys and signing secrets of package bridge/auth
// beside the outbox, so that one database (a SQLite file, or PostgreSQL
// shared by several nodes) holds all of the service's state.
var _ auth.KeyStore = (*Store)(nil)

const keyColumns = `id, name, scopes, hash, created_at, last_used_at, revoked_at`

// PutKey implements auth.KeyStore.
func (s *Store) PutKey(ctx context.Context, k auth.Key) error {
	scopes, err := json.Marshal(k.Scopes)
	if err != nil {
		return err
	}
	n, err := s.db.Exec(ctx, s.q(`INSERT INTO auth_keys (`+keyColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO NOTHING`),
		k.ID, k.Name, string(scopes), k.Hash, ms(k.CreatedAt), ms(k.LastUsedAt), ms(k.RevokedAt))
	if err != nil {
		return fmt.Errorf("sqlstore: put key %s: %w", k.ID, err)
	}
	if n == 0 {
		return fmt.Errorf("%w: %s", auth.ErrKeyExists, k.ID)
	}
	return nil
}

// Key implements auth.KeyStore.
func (s *Store) Key(ctx context.Context, id string) (auth.Key, error) {
	keys, err := s.keys(ctx, ` WHERE id = ?`, id)
	if err != nil {
		return auth.Key{}, err
	}
	if len(keys) == 0 {
		return auth.Key{}, fmt.Errorf("%w: %s", auth.ErrKeyNotFound, id)
	}
	return keys[0], nil
}

// Keys implements auth.KeyStore.
func (s *Store) Keys(ctx context.Context) ([]auth.Key, error) {
	return s.keys(ctx, ` ORDER BY created_at, id`)
}

func (s *Store) keys(ctx context.Context, where string, args ...any) ([]auth.Key, error) {
	rows, err := s.db.Query(ctx, s.q(`SELECT `+keyColumns+` FROM auth_keys`+where), args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: keys: %w", err)
	}
	defer rows.Close()
	var out []auth.Key
	for rows.Next() {
		var (
			k                      auth.Key
			scopes                 string
			created, used, revoked int64
		)
		if err := rows.Scan(&k.ID, &k.Name, &scopes, &k.Hash, &created, &used, &revoked); err != nil {
			return nil, fmt.Errorf("sqlstore: keys: %w", err)
		}
		if err := json.Unmarshal([]byte(scopes), &k.Scopes); err != nil {
			return nil, fmt.Errorf("sqlstore: key %s scopes: %w", k.ID, err)
		}
		k.CreatedAt, k.LastUsedAt, k.RevokedAt = fromMS(created), fromMS(used), fromMS(revoked)
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: keys: %w", err)
	}
	return out, nil
}

// RevokeKey implements auth.KeyStore. The CASE keeps the first revocation
// time and still matches the row, so a second revoke is not "not found".
func (s *Store) RevokeKey(ctx context.Context, id string, at time.Time) error {
	return s.updateKey(ctx, id, at, `revoked_at = CASE WHEN revoked_at = 0 THEN ? ELSE revoked_at END`, ms(at))
}

// TouchKey implements auth.KeyStore; the recorded time never moves back.
func (s *Store) TouchKey(ctx context.Context, id string, at time.Time) error {
	return s.updateKey(ctx, id, at, `last_used_at = CASE WHEN last_used_at < ? THEN ? ELSE last_used_at END`, ms(at), ms(at))
}

func (s *Store) updateKey(ctx context.Context, id string, at time.Time, set string, args ...any) error {
	if at.IsZero() {
		return fmt.Errorf("sqlstore: key %s: a zero time would read as never", id)
	}
	n, err := s.db.Exec(ctx, s.q(`UPDATE auth_keys SET `+set+` WHERE id = ?`), append(args, id)...)
	if err != nil {
		return fmt.Errorf("sqlstore: update key %s: %w", id, err)
	}
	if n == 0 {
		return fmt.Errorf("%w: %s", auth.ErrKeyNotFound, id)
	}
	return nil
}

// SigningSecret implements auth.KeyStore: the insert does nothing if a
// secret is already stored (by this node or another), and the select then
// returns whichever was stored first.
func (s *Store) SigningSecret(ctx context.Context, name string, candidate []byte) ([]byte, error) {
	if len(candidate) == 0 {
		return nil, fmt.Errorf("sqlstore: empty signing secret for %q", name)
	}
	if _, err := s.db.Exec(ctx, s.q(`INSERT INTO auth_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`),
		name, candidate); err != nil {
		return nil, fmt.Errorf("sqlstore: signing secret %q: %w", name, err)
	}
	rows, err := s.db.Query(ctx, s.q(`SELECT value FROM auth_secrets WHERE name = ?`), name)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: signing secret %q: %w", name, err)
	}
	var value []byte
	found := rows.Next()
	if found {
		err = rows.Scan(&value)
	}
	if cerr := closeRows(rows); err == nil {
		err = cerr
	}
	switch {
	case err != nil:
		return nil, fmt.Errorf("sqlstore: signing secret %q: %w", name, err)
	case !found:
		return nil, fmt.Errorf("sqlstore: signing secret %q vanished after insert", name)
	}
	return value, nil
}
