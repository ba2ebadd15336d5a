// Package datastore opens the service's data store, the one database of
// the webhook outbox, stored transcripts, the registry of open calls and
// API keys: an SQLite file in the data folder (the embedded default), or a
// PostgreSQL database several nodes share. Every command that touches the
// store (serve, keys) opens it here, the same way.
package datastore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/callscribe/callscribe/bridge/call"
	"github.com/callscribe/callscribe/webhooks/pgstore"
	"github.com/callscribe/callscribe/webhooks/sqlitestore"
	"github.com/callscribe/callscribe/webhooks/sqlstore"
)

// FileName is the SQLite store's file in the data folder.
const FileName = "webhooks.db"

// ErrNoStore reports an SQLite store that does not exist where a command
// that must not create it looked.
var ErrNoStore = errors.New("datastore: no store")

// Config says which store to open.
type Config struct {
	// URL, when set, is a postgres:// URL: the store of several nodes.
	URL string
	// DataDir holds the SQLite file when URL is empty.
	DataDir string
	// Create makes the data folder and the SQLite file if missing.
	Create bool
	// Logger receives the store's own warnings. Default slog.Default().
	Logger *slog.Logger
}

// Store is an opened data store.
type Store struct {
	*sqlstore.Store
	// Events is the event log nodes follow each other's calls through:
	// set for a PostgreSQL store that several nodes share, nil for the
	// one node's SQLite file.
	Events EventLog
}

// EventLog is what a hub needs of the event log: it appends its own
// events to it (a Sink) and follows other nodes' calls from it.
type EventLog interface {
	call.EventLog
	call.Sink
}

// Open opens the store cfg names and creates its schema if needed.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	switch {
	case strings.HasPrefix(cfg.URL, "postgres://"), strings.HasPrefix(cfg.URL, "postgresql://"):
		s, err := pgstore.Open(ctx, pgstore.Config{DSN: cfg.URL, Logger: cfg.Logger})
		if err != nil {
			return nil, err
		}
		return &Store{Store: s.Store, Events: s.WatchedEventLog()}, nil
	case cfg.URL != "":
		return nil, fmt.Errorf("--store %q: want a postgres:// URL (the SQLite store is chosen with --data-dir)", cfg.URL)
	}
	path := filepath.Join(cfg.DataDir, FileName)
	if cfg.Create {
		if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
			return nil, fmt.Errorf("datastore: %w", err)
		}
	} else if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("%w at %s (wrong --data-dir?): %w", ErrNoStore, path, err)
	}
	s, err := sqlitestore.Open(ctx, sqlitestore.Config{Path: path})
	if err != nil {
		return nil, err
	}
	return &Store{Store: s}, nil
}
