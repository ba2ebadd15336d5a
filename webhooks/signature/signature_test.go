package signature

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Vectors. The first is the one the Standard Webhooks reference libraries
// publish in their tests (Go, Python: TestWebhookSign / test_sign_function).
// The others were made for this package; every expected value was computed
// independently with Python's hmac, hashlib and base64 modules:
//
//	k = base64.b64decode(secret.removeprefix("whsec_"))
//	"v1," + base64.b64encode(hmac.new(k, f"{id}.{ts}.".encode() + body, hashlib.sha256).digest())
const (
	refSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	refID     = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	refTS     = 1614265330
	refBody   = `{"test": 2432232314}`
	refSig    = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

	oldSecret = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=" // bytes 0..31
	newSecret = "whsec_ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoM=" // bytes 100..131
	ownID     = "msg_2f5w7y3k"
	ownTS     = 1700000000
	ownBody   = `{"type":"transcript.final","call_id":"CA123","seq":7,"text":"café ok"}`
	ownOldSig = "v1,xvu+NTKVmtDV46aAYeXXbaL7kmL3eXCOghBJUGJQPus="
	ownNewSig = "v1,Q9eHJo5/JulL54ocxQNhLxGxuoaQkk0ZUSnJaz8kqQ0="
	emptySig  = "v1,BfEbiWNjKkTvBZu0YTwqUfAWHGObKrl7SlrasLhZVzE=" // newSecret, ownID, ownTS, empty body
)

func mustSecret(t *testing.T, s string) Secret {
	t.Helper()
	k, err := ParseSecret(s)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSignVectors(t *testing.T) {
	ref, old, cur := mustSecret(t, refSecret), mustSecret(t, oldSecret), mustSecret(t, newSecret)
	cases := []struct {
		name    string
		id      string
		ts      int64
		body    string
		secrets []Secret
		want    string
	}{
		{"reference", refID, refTS, refBody, []Secret{ref}, refSig},
		{"utf8 body", ownID, ownTS, ownBody, []Secret{old}, ownOldSig},
		{"rotation, new first", ownID, ownTS, ownBody, []Secret{cur, old}, ownNewSig + " " + ownOldSig},
		{"empty body", ownID, ownTS, "", []Secret{cur}, emptySig},
	}
	for _, c := range cases {
		if got := Sign(c.id, time.Unix(c.ts, 0), []byte(c.body), c.secrets...); got != c.want {
			t.Errorf("%s: Sign = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestParseSecret(t *testing.T) {
	unprefixed, err := ParseSecret(strings.TrimPrefix(refSecret, SecretPrefix))
	if err != nil {
		t.Fatal(err)
	}
	if unprefixed.String() != refSecret {
		t.Errorf("String() = %q, want %q", unprefixed.String(), refSecret)
	}
	for _, bad := range []string{"whsec_", "whsec_!!!", "whsec_c2hvcnQ=", "whsec_" + strings.Repeat("QUFB", 30)} {
		if _, err := ParseSecret(bad); !errors.Is(err, ErrInvalidSecret) {
			t.Errorf("ParseSecret(%q) = %v, want ErrInvalidSecret", bad, err)
		}
	}
	a, _ := NewSecret()
	b, _ := NewSecret()
	if len(a) != 32 || a.String() == b.String() {
		t.Errorf("NewSecret: %d bytes, %q vs %q", len(a), a, b)
	}
	if _, err := ParseSecret(a.String()); err != nil {
		t.Errorf("round trip: %v", err)
	}
}

func headers(id string, ts int64, sig string) http.Header {
	h := http.Header{}
	if id != "" {
		h.Set(HeaderID, id)
	}
	if ts != 0 {
		h.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	}
	if sig != "" {
		h.Set(HeaderSignature, sig)
	}
	return h
}

func TestVerify(t *testing.T) {
	ref, old, cur := mustSecret(t, refSecret), mustSecret(t, oldSecret), mustSecret(t, newSecret)
	now := time.Unix(ownTS, 0)
	tol := DefaultTolerance
	bogus := "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc="
	cases := []struct {
		name    string
		h       http.Header
		body    string
		now     time.Time
		tol     time.Duration
		secrets []Secret
		want    error
	}{
		{"reference vector", headers(refID, refTS, refSig), refBody, time.Unix(refTS, 0), tol, []Secret{ref}, nil},
		{"old secret only, rotation header", headers(ownID, ownTS, ownNewSig+" "+ownOldSig), ownBody, now, tol, []Secret{old}, nil},
		{"new secret only, rotation header", headers(ownID, ownTS, ownNewSig+" "+ownOldSig), ownBody, now, tol, []Secret{cur}, nil},
		{"other versions and garbage ignored", headers(ownID, ownTS, "v1a,xyz v2,"+ownOldSig[3:]+" nocomma v1,%%% "+ownOldSig), ownBody, now, tol, []Secret{old}, nil},
		{"v2 label with right bytes", headers(ownID, ownTS, "v2,"+ownOldSig[3:]), ownBody, now, tol, []Secret{old}, ErrNoMatch},
		{"wrong secret", headers(ownID, ownTS, ownOldSig), ownBody, now, tol, []Secret{cur}, ErrNoMatch},
		{"tampered body", headers(ownID, ownTS, ownOldSig), ownBody + " ", now, tol, []Secret{old}, ErrNoMatch},
		{"tampered id", headers(ownID+"x", ownTS, ownOldSig), ownBody, now, tol, []Secret{old}, ErrNoMatch},
		{"bogus signature", headers(ownID, ownTS, bogus), ownBody, now, tol, []Secret{old}, ErrNoMatch},
		{"at lower edge", headers(ownID, ownTS, ownOldSig), ownBody, now.Add(tol), tol, []Secret{old}, nil},
		{"at upper edge", headers(ownID, ownTS, ownOldSig), ownBody, now.Add(-tol), tol, []Secret{old}, nil},
		{"too old", headers(ownID, ownTS, ownOldSig), ownBody, now.Add(tol + time.Second), tol, []Secret{old}, ErrTimestampOutOfRange},
		{"too new", headers(ownID, ownTS, ownOldSig), ownBody, now.Add(-tol - time.Second), tol, []Secret{old}, ErrTimestampOutOfRange},
		{"tolerance off", headers(ownID, ownTS, ownOldSig), ownBody, now.Add(1000 * time.Hour), 0, []Secret{old}, nil},
		{"missing id", headers("", ownTS, ownOldSig), ownBody, now, tol, []Secret{old}, ErrMissingHeader},
		{"missing timestamp", headers(ownID, 0, ownOldSig), ownBody, now, tol, []Secret{old}, ErrMissingHeader},
		{"missing signature", headers(ownID, ownTS, ""), ownBody, now, tol, []Secret{old}, ErrMissingHeader},
		{"no secrets", headers(ownID, ownTS, ownOldSig), ownBody, now, tol, nil, ErrNoMatch},
	}
	for _, c := range cases {
		err := Verify(c.h, []byte(c.body), c.now, c.tol, c.secrets...)
		if (c.want == nil) != (err == nil) || (c.want != nil && !errors.Is(err, c.want)) {
			t.Errorf("%s: Verify = %v, want %v", c.name, err, c.want)
		}
	}
	h := headers(ownID, 0, ownOldSig)
	h.Set(HeaderTimestamp, "hello")
	if err := Verify(h, []byte(ownBody), now, tol, old); !errors.Is(err, ErrInvalidTimestamp) {
		t.Errorf("non-numeric timestamp: %v", err)
	}
}

func TestSetHeaders(t *testing.T) {
	old := mustSecret(t, oldSecret)
	h := http.Header{}
	SetHeaders(h, ownID, time.Unix(ownTS, 0), []byte(ownBody), old)
	if h.Get("Webhook-Id") != ownID || h.Get("Webhook-Timestamp") != "1700000000" || h.Get("Webhook-Signature") != ownOldSig {
		t.Errorf("headers = %v", h)
	}
}
