package pgstore_test

import (
	"testing"

	"github.com/callscribe/callscribe/webhooks/pgstore/pgtest"
)

// TestMain stops the test server after the tests.
func TestMain(m *testing.M) { pgtest.Main(m) }
