package twilio

import (
	"fmt"
	"strings"
)

// maxIntDigits keeps parsed integers far from int64 overflow: 18 digits is
// more than three million years of milliseconds.
const maxIntDigits = 18

func missing(field string) error {
	return fmt.Errorf("%w: %s", ErrMissingField, field)
}

func badKind(field string, t token, want kind) error {
	return fmt.Errorf("%w: %s is a JSON %s, want a %s", ErrBadField, field, t.kind, want)
}

func badValue(field string, t token, want string) error {
	return fmt.Errorf("%w: %s is %s, want %s", ErrBadField, field, clip(t.raw), want)
}

// clip shortens a raw value quoted in an error so that a hostile message
// cannot make error strings (and logs) large.
func clip(raw []byte) string {
	const limit = 40
	if len(raw) <= limit {
		return string(raw)
	}
	return string(raw[:limit]) + "..."
}

// stringField returns the value of an optional string field.
func stringField(field string, t token) (string, error) {
	switch t.kind {
	case kindAbsent, kindNull:
		return "", nil
	case kindString:
		return unquote(t), nil
	}
	return "", badKind(field, t, kindString)
}

// requiredString returns the value of a string field that must be present
// and not empty: an empty SID or name identifies nothing.
func requiredString(field string, t token) (string, error) {
	s, err := stringField(field, t)
	if err == nil && s == "" {
		err = missing(field)
	}
	return s, err
}

// intField parses a non-negative integer sent either as a JSON number or,
// as the platform does for counters and timestamps, as a string of digits.
func intField(field string, t token) (n int64, present bool, err error) {
	var digits []byte
	switch t.kind {
	case kindAbsent, kindNull:
		return 0, false, nil
	case kindString:
		if t.escaped {
			return 0, true, badValue(field, t, "a string of decimal digits")
		}
		digits = t.content()
	case kindNumber:
		digits = t.raw
	default:
		return 0, true, badKind(field, t, kindString)
	}
	if len(digits) == 0 || len(digits) > maxIntDigits {
		return 0, true, badValue(field, t, "a non-negative integer of at most 18 digits")
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, true, badValue(field, t, "a non-negative integer")
		}
		n = n*10 + int64(c-'0')
	}
	return n, true, nil
}

// trackField parses a track name, folding the "_track" spelling used on DTMF
// into the plain one. An absent track is inbound: that is the only track a
// stream carries unless it asks for more.
func trackField(field string, t token) (Track, error) {
	switch t.kind {
	case kindAbsent, kindNull:
		return TrackInbound, nil
	case kindString:
	default:
		return "", badKind(field, t, kindString)
	}
	name := t.content()
	if t.escaped {
		name = []byte(unquote(t))
	}
	switch string(name) {
	case "inbound", "inbound_track":
		return TrackInbound, nil
	case "outbound", "outbound_track":
		return TrackOutbound, nil
	}
	return "", badValue(field, t, `"inbound" or "outbound"`)
}

// dtmfKeys lists the keys of a telephone keypad, including the A-D column
// some handsets have.
const dtmfKeys = "0123456789*#ABCD"

func digitField(field string, t token) (string, error) {
	digit, err := requiredString(field, t)
	if err != nil {
		return "", err
	}
	if len(digit) != 1 || !strings.Contains(dtmfKeys, digit) {
		return "", badValue(field, t, "one of "+dtmfKeys)
	}
	return digit, nil
}
