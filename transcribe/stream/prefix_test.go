package stream

import "testing"

func TestLostPrefix(t *testing.T) {
	cases := []struct {
		name, shown, final string
		lost               bool
	}{
		{"the first words gone", "Produced the Block Books, which were the immediate predecessors", "You're the immediate predecessors of the true printed book.", true},
		{"a first sentence gone", "I can see your account here your last payment of $42", "your last payment of forty two dollars arrived on march third", true},
		{"one word gone", "produced the block books which were", "the block books, which were the immediate predecessors", true},
		{"the same start", "Printing, in the only sense", "Printing in the only sense with which we are at present concerned.", false},
		{"a word before it", "can see your account here", "I can see your account here.", false},
		{"a later word changed", "in being comparatively modern", "In being comparatively modem.", false},
		{"the first words read differently", "printing only since with which we are", "Printing in the only sense with which we are", false},
		{"the second word read differently", "differs from most if not", "Differs, for most if not from all", false},
		{"too few words shown to judge", "has never been", "surpassed.", false},
		{"no partial shown", "", "has never been surpassed", false},
		{"an empty final", "has never been surpassed", "", true},
	}
	for _, c := range cases {
		if got := LostPrefix(c.shown, c.final); got != c.lost {
			t.Errorf("%s: LostPrefix(%q, %q) = %v, want %v", c.name, c.shown, c.final, got, c.lost)
		}
	}
}
