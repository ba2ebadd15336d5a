package auth

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// MemoryStore is a KeyStore in memory, for tests and for a service that
// keeps no state. It behaves like the SQL store (the conformance suite of
// webhooks/storetest runs on both). The zero value is ready to use.
type MemoryStore struct {
	mu      sync.Mutex
	keys    map[string]Key
	secrets map[string][]byte
}

var _ KeyStore = (*MemoryStore)(nil)

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore { return &MemoryStore{} }

// PutKey implements KeyStore.
func (m *MemoryStore) PutKey(_ context.Context, k Key) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.keys[k.ID]; ok {
		return fmt.Errorf("%w: %s", ErrKeyExists, k.ID)
	}
	if m.keys == nil {
		m.keys = map[string]Key{}
	}
	m.keys[k.ID] = clean(k)
	return nil
}

// Key implements KeyStore.
func (m *MemoryStore) Key(_ context.Context, id string) (Key, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	k, ok := m.keys[id]
	if !ok {
		return Key{}, fmt.Errorf("%w: %s", ErrKeyNotFound, id)
	}
	return clean(k), nil
}

// Keys implements KeyStore.
func (m *MemoryStore) Keys(context.Context) ([]Key, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Key, 0, len(m.keys))
	for _, k := range m.keys {
		out = append(out, clean(k))
	}
	slices.SortFunc(out, func(a, b Key) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

// RevokeKey implements KeyStore.
func (m *MemoryStore) RevokeKey(_ context.Context, id string, at time.Time) error {
	return m.update(id, func(k *Key) {
		if k.RevokedAt.IsZero() {
			k.RevokedAt = at
		}
	})
}

// TouchKey implements KeyStore.
func (m *MemoryStore) TouchKey(_ context.Context, id string, at time.Time) error {
	return m.update(id, func(k *Key) {
		if at.After(k.LastUsedAt) {
			k.LastUsedAt = at
		}
	})
}

func (m *MemoryStore) update(id string, f func(*Key)) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k, ok := m.keys[id]
	if !ok {
		return fmt.Errorf("%w: %s", ErrKeyNotFound, id)
	}
	f(&k)
	m.keys[id] = clean(k)
	return nil
}

// SigningSecret implements KeyStore.
func (m *MemoryStore) SigningSecret(_ context.Context, name string, candidate []byte) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if s, ok := m.secrets[name]; ok {
		return bytes.Clone(s), nil
	}
	if len(candidate) == 0 {
		return nil, fmt.Errorf("auth: empty signing secret for %q", name)
	}
	if m.secrets == nil {
		m.secrets = map[string][]byte{}
	}
	m.secrets[name] = bytes.Clone(candidate)
	return bytes.Clone(candidate), nil
}

// clean copies k's hash and rounds its times to the millisecond in UTC,
// as the SQL store keeps them, so that tests see the same values from both.
func clean(k Key) Key {
	k.Hash = bytes.Clone(k.Hash)
	k.CreatedAt, k.LastUsedAt, k.RevokedAt = msTime(k.CreatedAt), msTime(k.LastUsedAt), msTime(k.RevokedAt)
	return k
}

func msTime(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return time.UnixMilli(t.UnixMilli()).UTC()
}
