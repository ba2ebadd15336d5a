package storetest

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/callscribe/callscribe/bridge/auth"
	"github.com/callscribe/callscribe/bridge/clock/clocktest"
)

// KeyOpener returns a new, empty key store; the suite closes it if it is
// an io.Closer.
type KeyOpener func(t *testing.T) auth.KeyStore

// RunKeys runs the auth.KeyStore conformance tests, each on a fresh store.
// Run calls it for the webhook stores; auth.MemoryStore runs it too, so the
// fake the auth tests use behaves like the databases.
func RunKeys(t *testing.T, open KeyOpener) {
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, s auth.KeyStore)
	}{
		{"PutAndGet", testPutKey},
		{"List", testListKeys},
		{"RevokeAndTouch", testRevokeKey},
		{"SigningSecret", testSigningSecret},
		{"Authenticator", testAuthenticatorOnStore},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			if c, ok := s.(io.Closer); ok {
				t.Cleanup(func() { c.Close() })
			}
			tc.fn(t, s)
		})
	}
}

func newKey(t *testing.T, name string, scopes auth.Scopes, at time.Time) (string, auth.Key) {
	t.Helper()
	secret, k, err := auth.NewKey(name, scopes, at)
	if err != nil {
		t.Fatal(err)
	}
	return secret, k
}

func testPutKey(t *testing.T, s auth.KeyStore) {
	_, k := newKey(t, "crm bridge ✓", auth.NewScopes(auth.ScopeStream, auth.ScopeRead), t0.Add(1500*time.Microsecond))
	if err := s.PutKey(ctx, k); err != nil {
		t.Fatal(err)
	}
	got, err := s.Key(ctx, k.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != k.ID || got.Name != k.Name || got.Scopes != k.Scopes || !bytes.Equal(got.Hash, k.Hash) ||
		!got.CreatedAt.Equal(t0.Add(time.Millisecond)) || !got.LastUsedAt.IsZero() || got.Revoked() {
		t.Errorf("stored %+v, got %+v", k, got)
	}
	dup := k
	dup.Name = "other"
	wantErr(t, "duplicate id", s.PutKey(ctx, dup), auth.ErrKeyExists)
	if again, _ := s.Key(ctx, k.ID); again.Name != k.Name {
		t.Errorf("a refused duplicate changed the key: %+v", again)
	}
	_, err = s.Key(ctx, "aaaaaaaaaaaaaaaa")
	wantErr(t, "unknown id", err, auth.ErrKeyNotFound)
}

func testListKeys(t *testing.T, s auth.KeyStore) {
	if keys, err := s.Keys(ctx); err != nil || len(keys) != 0 {
		t.Fatalf("Keys on an empty store = %v, %v", keys, err)
	}
	for i, name := range []string{"late", "early", "middle"} {
		at := t0.Add(time.Duration([]int{3, 1, 2}[i]) * time.Minute)
		_, k := newKey(t, name, auth.NewScopes(auth.ScopeAdmin), at)
		if err := s.PutKey(ctx, k); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"early", "middle", "late"}
	keys, err := s.Keys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, k := range keys {
		got = append(got, k.Name)
		if k.Scopes != auth.NewScopes(auth.ScopeAdmin) || len(k.Hash) != 32 {
			t.Errorf("listed %+v", k)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("Keys order = %v, want %v (oldest first)", got, want)
	}
}

func testRevokeKey(t *testing.T, s auth.KeyStore) {
	_, k := newKey(t, "k", auth.NewScopes(auth.ScopeRead), t0)
	if err := s.PutKey(ctx, k); err != nil {
		t.Fatal(err)
	}
	for _, at := range []time.Duration{2 * time.Minute, time.Minute, 3 * time.Minute} {
		if err := s.TouchKey(ctx, k.ID, t0.Add(at)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.RevokeKey(ctx, k.ID, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeKey(ctx, k.ID, t0.Add(2*time.Hour)); err != nil {
		t.Errorf("second revoke: %v, want nil", err)
	}
	got, err := s.Key(ctx, k.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.LastUsedAt.Equal(t0.Add(3*time.Minute)) || !got.RevokedAt.Equal(t0.Add(time.Hour)) || !got.Revoked() {
		t.Errorf("after touches and revokes: last used %v, revoked %v", got.LastUsedAt, got.RevokedAt)
	}
	wantErr(t, "revoke unknown", s.RevokeKey(ctx, "aaaaaaaaaaaaaaaa", t0), auth.ErrKeyNotFound)
	wantErr(t, "touch unknown", s.TouchKey(ctx, "aaaaaaaaaaaaaaaa", t0), auth.ErrKeyNotFound)
}

func testSigningSecret(t *testing.T, s auth.KeyStore) {
	first, err := s.SigningSecret(ctx, "token-v1", []byte("first candidate, 32 bytes long.."))
	if err != nil || string(first) != "first candidate, 32 bytes long.." {
		t.Fatalf("first SigningSecret = %q, %v", first, err)
	}
	again, err := s.SigningSecret(ctx, "token-v1", []byte("a later candidate loses........."))
	if err != nil || !bytes.Equal(again, first) {
		t.Errorf("second SigningSecret = %q, %v; want the first", again, err)
	}
	if _, err := s.SigningSecret(ctx, "empty", nil); err == nil {
		t.Error("an empty candidate was stored")
	}
	// Nodes starting together all settle on one secret.
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		got = map[string]int{}
	)
	for i := range 8 {
		wg.Go(func() {
			v, err := s.SigningSecret(ctx, "token-v2", []byte{byte(i), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			got[string(v)]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if len(got) != 1 {
		t.Errorf("concurrent callers got %d different secrets", len(got))
	}
	if v, _ := s.SigningSecret(ctx, "token-v1", []byte("x")); !bytes.Equal(v, first) {
		t.Error("a second name changed the first secret")
	}
}

// testAuthenticatorOnStore runs the authenticator on the store: a key made
// through it verifies, a token survives a restart (a second Authenticator
// on the same store), and revoking the key kills both.
func testAuthenticatorOnStore(t *testing.T, s auth.KeyStore) {
	clk := clocktest.NewManual()
	newAuth := func() *auth.Authenticator {
		a, err := auth.New(auth.Config{Clock: clk}, s)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	a := newAuth()
	key, k, err := auth.CreateKey(ctx, s, "e2e", auth.NewScopes(auth.ScopeStream, auth.ScopeRead), clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	p, err := a.Verify(ctx, key, auth.ScopeRead)
	if err != nil || p.KeyID != k.ID || p.Via != auth.ViaKey {
		t.Fatalf("Verify(key) = %+v, %v", p, err)
	}
	tok, _, err := a.IssueToken(ctx, p, auth.NewScopes(auth.ScopeRead), 0)
	if err != nil {
		t.Fatal(err)
	}
	restarted := newAuth()
	if p, err := restarted.Verify(ctx, tok, auth.ScopeRead); err != nil || p.KeyID != k.ID || p.Via != auth.ViaToken {
		t.Errorf("token after restart = %+v, %v", p, err)
	}
	if stored, _ := s.Key(ctx, k.ID); stored.LastUsedAt.IsZero() {
		t.Error("last use not recorded")
	}
	if err := s.RevokeKey(ctx, k.ID, clk.Now()); err != nil {
		t.Fatal(err)
	}
	for _, cred := range []string{key, tok} {
		if _, err := restarted.Verify(ctx, cred, auth.ScopeRead); !errors.Is(err, auth.ErrRevoked) {
			t.Errorf("after revoke: %v, want ErrRevoked", err)
		}
	}
}

// keyStoreOf opens the webhook stores of open as key stores: the SQL store
// is both.
func keyStoreOf(open Opener) KeyOpener {
	return func(t *testing.T) auth.KeyStore {
		s := open(t)
		ks, ok := s.(auth.KeyStore)
		if !ok {
			s.Close()
			t.Fatalf("%T does not implement auth.KeyStore", s)
		}
		return ks
	}
}
