package signature_test

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/callscribe/callscribe/webhooks/signature"
)

// A receiver verifies every callscribe webhook before it trusts it. It reads
// the raw body (never a re-encoded copy: the signature covers the exact
// bytes), checks the headers against the endpoint's secret and answers 2xx
// only when it has stored the event. The webhook-id is the idempotency key:
// retries and replays of one message carry the same id.
func ExampleVerify() {
	// The secret the admin API returned when the endpoint was created. During
	// a rotation, parse both the old and the new one and pass both.
	secret, err := signature.ParseSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	if err != nil {
		log.Fatal(err)
	}

	receiver := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			http.Error(w, "read error", http.StatusBadRequest)
			return
		}
		err = signature.Verify(r.Header, body, time.Now(), signature.DefaultTolerance, secret)
		if err != nil {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		// Store the event under r.Header.Get("webhook-id"), skipping ids
		// already seen, then acknowledge.
		w.WriteHeader(http.StatusNoContent)
	})

	// What callscribe sends, simulated here.
	body := `{"type":"transcript.final","call_id":"CA1","seq":2,"text":"hello"}`
	req := httptest.NewRequest(http.MethodPost, "/hooks/callscribe", strings.NewReader(body))
	signature.SetHeaders(req.Header, "msg_0example", time.Now(), []byte(body), secret)
	rec := httptest.NewRecorder()
	receiver.ServeHTTP(rec, req)
	fmt.Println("signed:", rec.Code)

	forged := httptest.NewRequest(http.MethodPost, "/hooks/callscribe", strings.NewReader(body))
	forged.Header = req.Header.Clone()
	forged.Header.Set(signature.HeaderID, "msg_other")
	rec = httptest.NewRecorder()
	receiver.ServeHTTP(rec, forged)
	fmt.Println("forged:", rec.Code)
	// Output:
	// signed: 204
	// forged: 401
}
