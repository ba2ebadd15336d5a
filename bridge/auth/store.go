package auth

import (
	"context"
	"fmt"
	"time"
)

// KeyStore keeps API keys and the secret that signs tokens. The SQL store
// of package webhooks/sqlstore implements it on SQLite and PostgreSQL;
// MemoryStore is for tests. Implementations must be safe for concurrent
// use, and every time they record comes from the caller, never from their
// own clock.
type KeyStore interface {
	// PutKey stores a new key; ErrKeyExists if its ID is taken.
	PutKey(ctx context.Context, k Key) error
	// Key returns the key with the given ID; ErrKeyNotFound if none.
	Key(ctx context.Context, id string) (Key, error)
	// Keys lists every key, revoked ones too, oldest first (ties by ID).
	Keys(ctx context.Context) ([]Key, error)
	// RevokeKey marks a key revoked at at. Revoking a revoked key keeps
	// the first time and is not an error. ErrKeyNotFound if none.
	RevokeKey(ctx context.Context, id string, at time.Time) error
	// TouchKey records that a key was used at at; the recorded time never
	// moves back. ErrKeyNotFound if none.
	TouchKey(ctx context.Context, id string, at time.Time) error
	// SigningSecret returns the secret stored under name, storing
	// candidate first if there is none yet. Every caller, on every node
	// sharing the store, gets the same secret: the first candidate stored
	// wins. A new name (with a new token version) is how the secret would
	// be rotated.
	SigningSecret(ctx context.Context, name string, candidate []byte) ([]byte, error)
}

// CreateKey makes a key with NewKey and stores it. It returns the key
// string, shown only now, and the stored record.
func CreateKey(ctx context.Context, store KeyStore, name string, scopes Scopes, now time.Time) (string, Key, error) {
	s, k, err := NewKey(name, scopes, now)
	if err != nil {
		return "", Key{}, err
	}
	if err := store.PutKey(ctx, k); err != nil {
		return "", Key{}, fmt.Errorf("auth: storing key %s: %w", k.ID, err)
	}
	return s, k, nil
}
