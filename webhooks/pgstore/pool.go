package pgstore

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/callscribe/callscribe/webhooks/sqlstore"
)

// errClosed reports use of a closed pool.
var errClosed = errors.New("pgstore: closed")

// pool is a bounded pool of pgx connections implementing sqlstore.DB. At
// most cap(slots) connections exist; acquire waits for a free one until its
// context ends.
type pool struct {
	cfg   *pgx.ConnConfig
	slots chan struct{}  // one token per connection in use
	idle  chan *pgx.Conn // connections ready for reuse

	mu     sync.Mutex
	closed bool
}

func newPool(cfg *pgx.ConnConfig, n int) *pool {
	return &pool{cfg: cfg, slots: make(chan struct{}, n), idle: make(chan *pgx.Conn, n)}
}

func (p *pool) acquire(ctx context.Context) (*pgx.Conn, error) {
	select {
	case p.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	for c := p.takeIdle(); c != nil; c = p.takeIdle() {
		if !c.IsClosed() {
			return c, nil
		}
	}
	p.mu.Lock()
	closed := p.closed
	p.mu.Unlock()
	if closed {
		<-p.slots
		return nil, errClosed
	}
	c, err := pgx.ConnectConfig(ctx, p.cfg)
	if err != nil {
		<-p.slots
		return nil, err
	}
	return c, nil
}

// release returns c to the pool, or closes it when it is broken, inside a
// transaction, or the pool is closed.
func (p *pool) release(ctx context.Context, c *pgx.Conn) {
	defer func() { <-p.slots }()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed || c.IsClosed() || c.PgConn().TxStatus() != 'I' {
		// Closing a broken connection outlives the request that found it
		// broken, but keeps its values.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = c.Close(ctx)
		return
	}
	p.idle <- c // never blocks: idle holds at most as many as there are slots
}

// Close closes the idle connections; connections in use close on release.
func (p *pool) Close() error {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for {
		select {
		case c := <-p.idle:
			_ = c.Close(ctx)
		default:
			return nil
		}
	}
}

func (p *pool) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	c, err := p.acquire(ctx)
	if err != nil {
		return 0, err
	}
	defer p.release(ctx, c)
	return connQ{c}.Exec(ctx, query, args...)
}

func (p *pool) Query(ctx context.Context, query string, args ...any) (sqlstore.Rows, error) {
	c, err := p.acquire(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := c.Query(ctx, query, args...)
	if err != nil {
		p.release(ctx, c)
		return nil, err
	}
	return &pgRows{Rows: rows, done: func() { p.release(ctx, c) }}, nil
}

func (p *pool) InTx(ctx context.Context, fn func(sqlstore.Querier) error) error {
	c, err := p.acquire(ctx)
	if err != nil {
		return err
	}
	defer p.release(ctx, c)
	return pgx.BeginFunc(ctx, c, func(tx pgx.Tx) error { return fn(connQ{tx}) })
}

// takeIdle returns an idle connection, or nil.
func (p *pool) takeIdle() *pgx.Conn {
	select {
	case c := <-p.idle:
		return c
	default:
		return nil
	}
}

// pgQuerier is what a pgx connection and a pgx transaction share.
type pgQuerier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// connQ adapts a connection or transaction to sqlstore.Querier.
type connQ struct{ q pgQuerier }

func (q connQ) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	tag, err := q.q.Exec(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return tag.RowsAffected(), nil
}

func (q connQ) Query(ctx context.Context, query string, args ...any) (sqlstore.Rows, error) {
	rows, err := q.q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return &pgRows{Rows: rows}, nil
}

// pgRows adapts pgx.Rows to sqlstore.Rows; done, if set, runs once on
// Close to give the connection back.
type pgRows struct {
	pgx.Rows
	done func()
	once sync.Once
}

func (r *pgRows) Close() error {
	r.Rows.Close()
	if r.done != nil {
		r.once.Do(r.done)
	}
	return r.Rows.Err()
}
