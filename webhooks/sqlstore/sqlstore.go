// Package sqlstore implements webhooks.Store on an SQL database: one schema
// and one set of statements, written for the dialect common to SQLite and
// PostgreSQL, with the few differences (identity column, blob type,
// placeholders, row locking) carried by a Dialect. Packages sqlitestore and
// pgstore open the databases and choose the dialect.
//
// Times are stored as Unix milliseconds (BIGINT), booleans as INTEGER, and
// lists as JSON text, so that both databases hold the same schema.
package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/callscribe/callscribe/webhooks"
)

// Querier runs statements. A database and a transaction are both one.
type Querier interface {
	// Exec runs a statement and returns the number of rows it affected.
	Exec(ctx context.Context, query string, args ...any) (int64, error)
	// Query runs a statement that returns rows.
	Query(ctx context.Context, query string, args ...any) (Rows, error)
}

// Rows iterates over a result, as database/sql.Rows does.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close() error
}

// DB is a database connection pool.
type DB interface {
	Querier
	// InTx runs fn in a transaction, committing when it returns nil and
	// rolling back otherwise. A write transaction must take its write locks
	// when it begins (SQLite: BEGIN IMMEDIATE).
	InTx(ctx context.Context, fn func(Querier) error) error
	// Close closes the pool.
	Close() error
}

// Dialect carries what differs between the databases.
type Dialect struct {
	// Name is used in error messages.
	Name string
	// IdentityColumn declares an auto-incrementing BIGINT primary key.
	IdentityColumn string
	// BlobType is the type of binary columns.
	BlobType string
	// NumberedParams selects $1, $2, ... placeholders instead of ?.
	NumberedParams bool
	// SchemaLock, when set, runs first in the schema transaction to keep
	// nodes starting together from creating the schema at once.
	SchemaLock string
	// SkipLocked is appended to the claim's row selection so that concurrent
	// claimers skip each other's rows ("FOR UPDATE SKIP LOCKED"); empty
	// where the database serializes writers anyway.
	SkipLocked string
	// NotifyEvent, when set, runs after an event is appended to the event
	// log, in the same transaction, with the call id as its parameter: it
	// tells other nodes (PostgreSQL's pg_notify).
	NotifyEvent string
}

// Store is a webhooks.Store on an SQL database.
type Store struct {
	db DB
	d  Dialect
}

var _ webhooks.Store = (*Store)(nil)

// New creates the schema if needed and returns the store. The store owns
// db: Close closes it.
func New(ctx context.Context, db DB, d Dialect) (*Store, error) {
	s := &Store{db: db, d: d}
	err := db.InTx(ctx, func(tx Querier) error {
		stmts := schema(d)
		if d.SchemaLock != "" {
			stmts = append([]string{d.SchemaLock}, stmts...)
		}
		for _, stmt := range stmts {
			if _, err := tx.Exec(ctx, stmt); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: %s: creating schema: %w", d.Name, err)
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// DB returns the underlying database, for tests and maintenance.
func (s *Store) DB() DB { return s.db }

// q rewrites the ? placeholders of query for the dialect.
func (s *Store) q(query string) string {
	if !s.d.NumberedParams {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// ms converts a time to stored milliseconds; the zero time is 0.
func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// fromMS converts stored milliseconds to a UTC time; 0 is the zero time.
func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

// boolInt stores a boolean.
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// placeholders returns n comma-separated placeholders.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}
