package wer

import (
	"strings"
	"testing"
)

// checkNormalize runs table cases of input and the expected words joined
// by single spaces.
func checkNormalize(t *testing.T, cases [][2]string) {
	t.Helper()
	for _, c := range cases {
		if got := strings.Join(Normalize(c[0]), " "); got != c[1] {
			t.Errorf("Normalize(%q) = %q, want %q", c[0], got, c[1])
		}
	}
}

func TestNormalizeText(t *testing.T) {
	checkNormalize(t, [][2]string{
		{"", ""},
		{"   \t\n ", ""},
		{"...!?", ""},
		{"Hello, World!", "hello world"},
		{"  many   spaces\there\n", "many spaces here"},
		{"ÉCOLE Straße ΟΔΥΣΣΕΥΣ", "école straße οδυσσευσ"},
		{"Don't stop; it's the world's end.", "don't stop it's the world's end"},
		{"Feed'st thy light's flame", "feed'st thy light's flame"},
		{"don\u2019t and don\u02bct", "don't and don't"},
		{"'This fair child of mine,'", "this fair child of mine"},
		{"\"forty-two line Bible\"", "42 line bible"},
		{"'tis the dogs' dinner", "tis the dogs dinner"},
		{"rock 'n' roll", "rock n roll"},
		{"self-substantial all\u2014eating well\u2013known", "self substantial all eating well known"},
		{"a - b -- c", "a b c"},
		{"e-mail", "e mail"},
		{"email@example.com", "email example com"},
	})
}

func TestNormalizeAnnotations(t *testing.T) {
	checkNormalize(t, [][2]string{
		{"[BLANK_AUDIO]", ""},
		{" [BLANK_AUDIO] hello [ Silence ]", "hello"},
		{"(music) Thank you. (upbeat music)", "thank you"},
		{"*laughs* that's funny *coughs*", "that's funny"},
		{"{noise} yes", "yes"},
		{"no [closing bracket", "no closing bracket"},
		{"stray ] and ) marks", "stray and marks"},
		{"a * b", "a b"},
		{"twenty [inaudible] five", "20 5"},
	})
}

func TestNormalizeSymbols(t *testing.T) {
	checkNormalize(t, [][2]string{
		{"50%", "50 percent"},
		{"fifty percent", "50 percent"},
		{"fifty per cent", "50 percent"},
		{"per, cent", "percent"},
		{"3.5% growth", "3.5 percent growth"},
		{"$5", "5 dollars"},
		{"five dollars", "5 dollars"},
		{"$1", "1 dollar"},
		{"one dollar", "1 dollar"},
		{"$2.50", "2.50 dollars"},
		{"$1,000", "1000 dollars"},
		{"$2 million", "2 million dollars"},
		{"$1 million", "1 million dollars"},
		{"two million dollars", "2 million dollars"},
		{"£3 and €1", "3 pounds and 1 euro"},
		{"$ 5", "5"},
		{"a $", "a"},
		{"$5th", "5th"},
		{"AT&T", "at and t"},
	})
}
