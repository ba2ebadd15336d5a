// Package sqlitestore opens the default webhook store: an embedded SQLite
// database through modernc.org/sqlite, a pure-Go translation of SQLite. It
// needs no cgo, so the package builds and tests with -race without a C
// toolchain, and the callscribe binary keeps libwhisper as its only C
// dependency.
//
// The database runs in WAL mode: readers (the admin API, the claim scan) do
// not block the writer and a commit appends to the log instead of rewriting
// pages. synchronous=FULL makes every commit fsync the log, so an event is
// on disk when Enqueue returns: it survives not only the process being
// killed (which NORMAL would also survive) but a power cut or kernel crash.
// That costs one fsync per event, a few hundred microseconds to a few
// milliseconds, which the event rate of live calls easily affords;
// Config.Synchronous "NORMAL" trades it away. Transactions begin IMMEDIATE so
// that writers queue on busy_timeout instead of failing on a lock upgrade,
// and foreign keys are on for the cascading deletes.
//
// One SQLite database belongs to one callscribe process; several nodes share
// an outbox through package pgstore instead.
package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/callscribe/callscribe/bridge/config"
	"github.com/callscribe/callscribe/webhooks/sqlstore"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Dialect is the SQLite dialect of the shared schema.
var Dialect = sqlstore.Dialect{
	Name:           "sqlite",
	IdentityColumn: "INTEGER PRIMARY KEY AUTOINCREMENT",
	BlobType:       "BLOB",
}

// ErrBadConfig reports a Config that Open cannot work with.
var ErrBadConfig = errors.New("sqlitestore: invalid config")

// Config says which database file to open and how. Zero fields take the
// defaults listed with them.
type Config struct {
	// Path is the database file, created if missing. Required.
	Path string
	// Synchronous is PRAGMA synchronous: "FULL" (default; a commit
	// survives a power cut) or "NORMAL" (it survives a killed process).
	Synchronous string
	// BusyTimeout is how long a writer waits for the lock. Default 10 s.
	BusyTimeout time.Duration
	// MaxConns bounds the connections. Default 4.
	MaxConns int
}

// WithDefaults returns c with every zero field set to its default.
func (c Config) WithDefaults() Config {
	config.Default(&c.Synchronous, "FULL")
	c.Synchronous = strings.ToUpper(c.Synchronous)
	config.Default(&c.BusyTimeout, 10*time.Second)
	config.Default(&c.MaxConns, 4)
	return c
}

// Validate reports what is wrong with c once defaults are applied,
// wrapping ErrBadConfig.
func (c Config) Validate() error {
	c = c.WithDefaults()
	switch {
	case c.Path == "":
		return fmt.Errorf("%w: no Path", ErrBadConfig)
	case c.Synchronous != "FULL" && c.Synchronous != "NORMAL":
		return fmt.Errorf("%w: Synchronous %q: want FULL or NORMAL", ErrBadConfig, c.Synchronous)
	case c.BusyTimeout < 0 || c.MaxConns < 0:
		return fmt.Errorf("%w: BusyTimeout %v and MaxConns %d must not be negative", ErrBadConfig, c.BusyTimeout, c.MaxConns)
	}
	return nil
}

// Open opens (creating if needed) the database file cfg.Path and its
// schema.
func Open(ctx context.Context, cfg Config) (*sqlstore.Store, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.WithDefaults()
	path := cfg.Path
	q := url.Values{}
	q.Set("_txlock", "immediate")
	q.Set("_busy_timeout", fmt.Sprint(cfg.BusyTimeout.Milliseconds()))
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", cfg.Synchronous)
	q.Set("_foreign_keys", "1")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(cfg.MaxConns)
	db.SetMaxIdleConns(cfg.MaxConns)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlitestore: open %s: %w", path, err)
	}
	s, err := sqlstore.New(ctx, sqlstore.FromSQL(db), Dialect)
	if err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}
