package pgstore

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/callscribe/callscribe/webhooks/sqlstore"
)

// EventChannel is the NOTIFY channel the event log announces appended
// events on, with the call id as payload.
const EventChannel = "callscribe_events"

// EventLog is the store's event log with PostgreSQL's LISTEN: what
// several nodes share to follow each other's calls (call.EventLog).
type EventLog struct {
	*sqlstore.EventLog
	cfg *pgx.ConnConfig
	log *slog.Logger
}

// watchRetry is how long Watch waits before it connects again after
// losing its connection; the hub's followers poll meanwhile.
const watchRetry = time.Second

// Watch calls notify with the call id of each event any node appends,
// until ctx ends. It holds one connection of its own (LISTEN needs one
// session), and reconnects when it loses it.
func (l *EventLog) Watch(ctx context.Context, notify func(callID string)) error {
	for {
		err := l.listen(ctx, notify)
		if ctx.Err() != nil {
			return nil //nolint:nilerr // the connection's error is the cancellation's: Watch ends as asked
		}
		l.log.Warn("event log: lost the LISTEN connection; followers poll until it is back", "err", err)
		t := time.NewTimer(watchRetry)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
}

func (l *EventLog) listen(ctx context.Context, notify func(string)) error {
	conn, err := pgx.ConnectConfig(ctx, l.cfg)
	if err != nil {
		return fmt.Errorf("pgstore: watch: %w", err)
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := conn.Close(cctx); err != nil {
			l.log.Debug("event log: closing the LISTEN connection", "err", err)
		}
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+EventChannel); err != nil {
		return fmt.Errorf("pgstore: watch: %w", err)
	}
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return fmt.Errorf("pgstore: watch: %w", err)
		}
		notify(n.Payload)
	}
}
