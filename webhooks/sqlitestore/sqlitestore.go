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
// WithSynchronous("NORMAL") trades it away. Transactions begin IMMEDIATE so
// that writers queue on busy_timeout instead of failing on a lock upgrade,
// and foreign keys are on for the cascading deletes.
//
// One SQLite database belongs to one callscribe process; several nodes share
// an outbox through package pgstore instead.
package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"

	"github.com/callscribe/callscribe/webhooks/sqlstore"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Dialect is the SQLite dialect of the shared schema.
var Dialect = sqlstore.Dialect{
	Name:           "sqlite",
	IdentityColumn: "INTEGER PRIMARY KEY AUTOINCREMENT",
	BlobType:       "BLOB",
}

// Option configures Open.
type Option func(*options) error

type options struct {
	synchronous string
	busyMS      int
	maxConns    int
}

// WithSynchronous sets PRAGMA synchronous: "FULL" (default) or "NORMAL".
func WithSynchronous(mode string) Option {
	return func(o *options) error {
		switch m := strings.ToUpper(mode); m {
		case "FULL", "NORMAL":
			o.synchronous = m
			return nil
		}
		return fmt.Errorf("sqlitestore: synchronous %q: want FULL or NORMAL", mode)
	}
}

// Open opens (creating if needed) the database file at path and its schema.
func Open(ctx context.Context, path string, opts ...Option) (*sqlstore.Store, error) {
	o := options{synchronous: "FULL", busyMS: 10000, maxConns: 4}
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	q := url.Values{}
	q.Set("_txlock", "immediate")
	q.Set("_busy_timeout", fmt.Sprint(o.busyMS))
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", o.synchronous)
	q.Set("_foreign_keys", "1")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(o.maxConns)
	db.SetMaxIdleConns(o.maxConns)
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
