package keyscli

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/callscribe/callscribe/bridge/auth"
	"github.com/callscribe/callscribe/bridge/clock/clocktest"
	"github.com/callscribe/callscribe/webhooks/sqlitestore"
)

// keys runs the command and returns its stdout and stderr.
func keys(t *testing.T, clk *clocktest.Manual, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := Run(context.Background(), args, &out, &errOut, clk)
	return out.String(), errOut.String(), err
}

func TestCreateListRevoke(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "fresh")
	clk := clocktest.NewManual()
	out, errOut, err := keys(t, clk, "create", "--scopes", "stream,read", "--name", "crm bridge", "--data-dir", dir)
	if err != nil {
		t.Fatalf("create: %v\n%s", err, errOut)
	}
	if !regexp.MustCompile(`^cs_[a-z2-7]{16}_[a-z2-7]{52}\n$`).MatchString(out) {
		t.Fatalf("create stdout %q: want the key alone on one line", out)
	}
	key := strings.TrimSpace(out)
	id := key[3:19]
	if !strings.Contains(errOut, id) || strings.Contains(errOut, key) {
		t.Errorf("create stderr %q: want the id, never the key", errOut)
	}

	// The key works against the store the service would open.
	s, err := sqlitestore.Open(context.Background(), sqlitestore.Config{Path: filepath.Join(dir, "webhooks.db")})
	if err != nil {
		t.Fatal(err)
	}
	a, err := auth.New(auth.Config{Clock: clk}, s)
	if err != nil {
		t.Fatal(err)
	}
	if p, err := a.Verify(context.Background(), key, auth.ScopeStream); err != nil || p.Name != "crm bridge" {
		t.Errorf("Verify = %+v, %v", p, err)
	}
	s.Close()

	clk.Advance(time.Hour)
	// Flags after the ID, and the data dir from the environment.
	t.Setenv("CALLSCRIBE_DATA_DIR", dir)
	if _, errOut, err := keys(t, clk, "revoke", id); err != nil {
		t.Fatalf("revoke: %v %s", err, errOut)
	}
	out, _, err = keys(t, clk, "list", "--data-dir", dir)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "ID") {
		t.Fatalf("list:\n%s", out)
	}
	for _, want := range []string{id, "crm bridge", "stream,read", "2026-03-01T12:00:00Z", "2026-03-01T13:00:00Z"} {
		if !strings.Contains(lines[1], want) {
			t.Errorf("list row %q lacks %q", lines[1], want)
		}
	}
	if _, _, err := keys(t, clk, "revoke", "aaaaaaaaaaaaaaaa", "--data-dir", dir); !errors.Is(err, auth.ErrKeyNotFound) {
		t.Errorf("revoke unknown: %v", err)
	}
}

func TestUsageErrors(t *testing.T) {
	clk := clocktest.NewManual()
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want error
	}{
		{nil, ErrUsage},
		{[]string{"rotate"}, ErrUsage},
		{[]string{"create", "--data-dir", dir}, ErrUsage},
		{[]string{"create", "--scopes", "stream,write", "--data-dir", dir}, auth.ErrBadScope},
		{[]string{"create", "--scopes", "read", "extra", "--data-dir", dir}, ErrUsage},
		{[]string{"create", "--bogus"}, ErrUsage},
		{[]string{"revoke", "--data-dir", dir}, ErrUsage},
		{[]string{"list", "--data-dir", filepath.Join(dir, "nowhere")}, nil},
		{[]string{"list", "--store", "mysql://x"}, nil},
	} {
		out, _, err := keys(t, clk, c.args...)
		if err == nil || (c.want != nil && !errors.Is(err, c.want)) {
			t.Errorf("keys %q = %v, want %v", c.args, err, c.want)
		}
		if out != "" {
			t.Errorf("keys %q wrote %q to stdout", c.args, out)
		}
	}
	if out, _, err := keys(t, clk, "help"); err != nil || !strings.Contains(out, "keys create") {
		t.Errorf("help: %v %q", err, out)
	}
}
