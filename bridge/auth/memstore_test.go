package auth_test

import (
	"testing"

	"github.com/callscribe/callscribe/bridge/auth"
	"github.com/callscribe/callscribe/webhooks/storetest"
)

// The memory store runs the conformance suite of the SQL stores, so the
// tests that use it see what the databases would do.
func TestMemoryStore(t *testing.T) {
	storetest.RunKeys(t, func(*testing.T) auth.KeyStore { return auth.NewMemoryStore() })
}
