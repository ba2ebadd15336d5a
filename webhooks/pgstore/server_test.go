package pgstore_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"testing"

	"github.com/jackc/pgx/v5"
)

// server is a throw-away PostgreSQL cluster in a temporary directory,
// listening on a free loopback port.
type server struct {
	port int
	// n numbers the databases made for tests.
	n int
}

var (
	shared     *server
	skipReason string
	cleanups   []func()
)

// TestMain stops the shared server after the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	for i := len(cleanups) - 1; i >= 0; i-- {
		cleanups[i]()
	}
	os.Exit(code)
}

// startServer returns the package's cluster, starting it on first use with
// Debian's server binaries, or skips the test when they are not installed.
// As root, the server runs as the postgres user (PostgreSQL refuses to run
// as root).
func startServer(t *testing.T) *server {
	t.Helper()
	if shared == nil && skipReason == "" {
		shared, skipReason = launch(t)
	}
	if skipReason != "" {
		if os.Getenv("CALLSCRIBE_REQUIRE_POSTGRES") != "" {
			t.Fatal(skipReason) // CI sets this so that a missing install fails loudly
		}
		t.Skip(skipReason)
	}
	return shared
}

func launch(t *testing.T) (*server, string) {
	t.Helper()
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(found) == 0 {
		return nil, "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb): " +
			"install the Debian package postgresql to run the PostgreSQL store tests"
	}
	sort.Strings(found)
	bin := filepath.Dir(found[len(found)-1])
	var asUser []string
	dir, err := os.MkdirTemp("", "pgstore-test-")
	if err != nil {
		t.Fatal(err)
	}
	cleanups = append(cleanups, func() { os.RemoveAll(dir) })
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, "running as root and there is no postgres user to run the server as"
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
		asUser = []string{"runuser", "-u", "postgres", "--"}
	}
	run := func(args ...string) error {
		argv := append(append([]string{}, asUser...), args...)
		if out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput(); err != nil {
			return fmt.Errorf("%v: %w\n%s", argv, err, out)
		}
		return nil
	}
	data := filepath.Join(dir, "data")
	if err := run(filepath.Join(bin, "initdb"), "-D", data, "-U", "test", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"); err != nil {
		t.Fatal(err)
	}
	s := &server{port: freePort(t)}
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s -c fsync=off -c max_connections=50", s.port, dir)
	if err := run(filepath.Join(bin, "pg_ctl"), "-D", data, "-l", filepath.Join(dir, "log"), "-o", opts, "-w", "-t", "60", "start"); err != nil {
		t.Fatal(err)
	}
	cleanups = append(cleanups, func() {
		if err := run(filepath.Join(bin, "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop"); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	})
	return s, ""
}

// freePort returns a loopback port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// dsn returns the address of database name.
func (s *server) dsn(name string) string {
	return fmt.Sprintf("postgres://test@127.0.0.1:%d/%s?sslmode=disable", s.port, name)
}

// newDatabase creates an empty database and returns its address.
func (s *server) newDatabase(t *testing.T) string {
	t.Helper()
	s.n++
	name := fmt.Sprintf("t%d", s.n)
	ctx := context.Background()
	c, err := pgx.Connect(ctx, s.dsn("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	return s.dsn(name)
}
