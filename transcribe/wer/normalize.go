package wer

// Normalize returns the words of s in the canonical form that [Compute]
// compares: lower case, no punctuation or annotations, numbers in digits.
// The package doc lists the rules. It returns nil if s has no words.
//
// Normalize is idempotent: Normalize(strings.Join(Normalize(s), " "))
// equals Normalize(s).
func Normalize(s string) []string {
	ts := numberReader(tokenize(s))
	var out []string
	for i := 0; i < len(ts); {
		if w, n := ts.parse(i); n > 0 {
			out = append(out, w)
			i += n
			continue
		}
		t := ts[i]
		i++
		switch {
		case t.currency != 0 && isNumeral(t.text):
			out = append(out, t.text)
			scaled := largeScales[ts.at(i)]
			if scaled {
				out = append(out, ts[i].text)
				i++
			}
			// "$1" is one dollar but "$1 million" is a million dollars.
			money := currencyWords[t.currency][1]
			if t.text == "1" && !scaled {
				money = currencyWords[t.currency][0]
			}
			out = append(out, money)
		case t.text == "per" && i < len(ts) && ts[i].text == "cent":
			// Joined even across punctuation: the output "per cent" would
			// join on a second pass, which idempotence forbids.
			out = append(out, "percent")
			i++
		default:
			out = append(out, t.text)
		}
	}
	return out
}
