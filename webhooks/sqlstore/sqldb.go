package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// FromSQL adapts a database/sql pool to DB.
func FromSQL(db *sql.DB) DB { return sqlDB{db} }

type sqlDB struct{ db *sql.DB }

type sqlQuerier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

type sqlQ struct{ q sqlQuerier }

func (q sqlQ) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := q.q.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (q sqlQ) Query(ctx context.Context, query string, args ...any) (Rows, error) {
	return q.q.QueryContext(ctx, query, args...)
}

func (d sqlDB) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	return sqlQ{d.db}.Exec(ctx, query, args...)
}

func (d sqlDB) Query(ctx context.Context, query string, args ...any) (Rows, error) {
	return sqlQ{d.db}.Query(ctx, query, args...)
}

func (d sqlDB) InTx(ctx context.Context, fn func(Querier) error) error {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(sqlQ{tx}); err != nil {
		return errors.Join(err, ignoreDone(tx.Rollback()))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func (d sqlDB) Close() error { return d.db.Close() }

// ignoreDone drops the error of rolling back a finished transaction.
func ignoreDone(err error) error {
	if errors.Is(err, sql.ErrTxDone) {
		return nil
	}
	return err
}
