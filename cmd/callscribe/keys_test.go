package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

// TestKeys runs "callscribe keys" through the command switch: the key
// alone on stdout, then listed and revoked. The command's own cases are
// tested in package keyscli.
func TestKeys(t *testing.T) {
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	if code := run([]string{"keys", "create", "--scopes", "read", "--name", "dash", "--data-dir", dir}, &out, &errOut); code != 0 {
		t.Fatalf("keys create = %d: %s", code, errOut.String())
	}
	m := regexp.MustCompile(`^cs_([a-z2-7]{16})_[a-z2-7]{52}\n$`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("stdout %q: want the key alone", out.String())
	}
	out.Reset()
	if code := run([]string{"keys", "revoke", m[1], "--data-dir", dir}, &out, &errOut); code != 0 || out.Len() != 0 {
		t.Fatalf("keys revoke = %d, stdout %q: %s", code, out.String(), errOut.String())
	}
	if code := run([]string{"keys", "list", "--data-dir", dir}, &out, &errOut); code != 0 || !strings.Contains(out.String(), m[1]) {
		t.Errorf("keys list = %d:\n%s", code, out.String())
	}
	if code := run([]string{"keys", "create", "--data-dir", dir}, &out, &errOut); code != 2 {
		t.Errorf("keys create without --scopes = %d, want 2", code)
	}
}
