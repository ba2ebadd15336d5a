package twiliotest

import "testing"

// TestSignMatchesPythonsHMAC checks Sign against a signature computed
// apart, with Python's hmac and hashlib (bridge/auth/testdata).
func TestSignMatchesPythonsHMAC(t *testing.T) {
	got := Sign("9f2b6c1d8e7a4b3c2d1e0f9a8b7c6d5e", "wss://callscribe.example.com/v1/twilio")
	if want := "oAWxv5GhQBIN91y5kMC2TG0L8O4="; got != want {
		t.Errorf("Sign = %s, want %s", got, want)
	}
}
