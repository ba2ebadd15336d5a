// Package pgtest starts a throw-away PostgreSQL server for tests, from
// Debian's server binaries, the way httptest starts an HTTP server: the
// PostgreSQL store's own tests use it, and so do the service's tests where
// several nodes share one database.
package pgtest

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
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
)

// RequireEnv names the environment variable that turns a missing
// PostgreSQL install from a skipped test into a failed one; `make test`
// sets it so that CI cannot pass without the database tests.
const RequireEnv = "CALLSCRIBE_REQUIRE_POSTGRES"

// Server is a PostgreSQL cluster in a temporary directory, listening on a
// free loopback port, with trust authentication for the user "test".
type Server struct {
	// Port is the loopback TCP port the server listens on.
	Port int

	mu sync.Mutex
	n  int // numbers the databases made so far
}

var (
	once     sync.Once
	shared   *Server
	skip     string
	failure  error
	cleanups []func()
)

// Start returns the test binary's server, starting it on first use; it
// skips t when the server binaries are not installed, unless RequireEnv
// is set. Call Stop from TestMain after the tests.
func Start(tb testing.TB) *Server {
	tb.Helper()
	once.Do(func() { shared, skip, failure = launch() })
	if failure != nil {
		tb.Fatal(failure)
	}
	if skip != "" {
		if os.Getenv(RequireEnv) != "" {
			tb.Fatal(skip)
		}
		tb.Skip(skip)
	}
	return shared
}

// Stop stops the server Start started, if any, and removes its files.
func Stop() {
	for i := len(cleanups) - 1; i >= 0; i-- {
		cleanups[i]()
	}
	cleanups = nil
}

// Main runs the tests of a package that uses Start, then stops the
// server: call it as the package's TestMain.
func Main(m *testing.M) {
	code := m.Run()
	Stop()
	os.Exit(code)
}

// launch initialises and starts a cluster. It returns a reason to skip
// when PostgreSQL is not installed, and an error when it is but fails.
// As root, the server runs as the postgres user: PostgreSQL refuses to
// run as root.
func launch() (*Server, string, error) {
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(found) == 0 {
		return nil, "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb): " +
			"install the Debian package postgresql to run the PostgreSQL tests", nil
	}
	sort.Strings(found)
	bin := filepath.Dir(found[len(found)-1])
	dir, err := os.MkdirTemp("", "pgtest-")
	if err != nil {
		return nil, "", fmt.Errorf("pgtest: %w", err)
	}
	cleanups = append(cleanups, func() { os.RemoveAll(dir) })
	var asUser []string
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Sprintf("running as root and there is no postgres user to run the server as (%v)", err), nil
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			return nil, "", fmt.Errorf("pgtest: %w", err)
		}
		asUser = []string{"runuser", "-u", "postgres", "--"}
	}
	run := func(args ...string) error {
		argv := append(append([]string{}, asUser...), args...)
		if out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput(); err != nil {
			return fmt.Errorf("pgtest: %v: %w\n%s", argv, err, out)
		}
		return nil
	}
	data := filepath.Join(dir, "data")
	if err := run(filepath.Join(bin, "initdb"), "-D", data, "-U", "test", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"); err != nil {
		return nil, "", err
	}
	port, err := freePort()
	if err != nil {
		return nil, "", err
	}
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s -c fsync=off -c max_connections=100", port, dir)
	if err := run(filepath.Join(bin, "pg_ctl"), "-D", data, "-l", filepath.Join(dir, "log"), "-o", opts, "-w", "-t", "60", "start"); err != nil {
		return nil, "", err
	}
	cleanups = append(cleanups, func() {
		if err := run(filepath.Join(bin, "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop"); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	})
	return &Server{Port: port}, "", nil
}

// freePort returns a loopback port that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pgtest: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// DSN returns the address of database name on s.
func (s *Server) DSN(name string) string {
	return fmt.Sprintf("postgres://test@127.0.0.1:%d/%s?sslmode=disable", s.Port, name)
}

// NewDatabase creates an empty database and returns its address.
func (s *Server) NewDatabase(tb testing.TB) string {
	tb.Helper()
	s.mu.Lock()
	s.n++
	name := fmt.Sprintf("t%d", s.n)
	s.mu.Unlock()
	ctx := context.Background()
	c, err := pgx.Connect(ctx, s.DSN("postgres"))
	if err != nil {
		tb.Fatal(err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatal(err)
	}
	return s.DSN(name)
}
