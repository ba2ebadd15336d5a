package sqlitestore_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/callscribe/callscribe/webhooks"
	"github.com/callscribe/callscribe/webhooks/sqlitestore"
	"github.com/callscribe/callscribe/webhooks/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) webhooks.Store {
		t.Helper()
		s, err := sqlitestore.Open(context.Background(), sqlitestore.Config{Path: filepath.Join(t.TempDir(), "outbox.db")})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestOpenOptions(t *testing.T) {
	if _, err := sqlitestore.Open(context.Background(), sqlitestore.Config{Path: filepath.Join(t.TempDir(), "x.db"), Synchronous: "OFF"}); err == nil {
		t.Error("synchronous OFF accepted")
	}
	path := filepath.Join(t.TempDir(), "y.db")
	s, err := sqlitestore.Open(context.Background(), sqlitestore.Config{Path: path, Synchronous: "normal"})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := s.DB().Query(context.Background(), "PRAGMA journal_mode")
	if err != nil {
		t.Fatal(err)
	}
	var mode string
	for rows.Next() {
		if err := rows.Scan(&mode); err != nil {
			t.Fatal(err)
		}
	}
	rows.Close()
	if mode != "wal" {
		t.Errorf("journal_mode = %q, want wal", mode)
	}
	s.Close()
	// Reopening finds the schema in place.
	s, err = sqlitestore.Open(context.Background(), sqlitestore.Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
}
