// Package wer scores a transcript against a reference: it normalises both
// texts into comparable words and counts word errors.
//
//   - [Normalize] turns text into lower-case words with numbers as digits.
//   - [Compute] aligns two texts word by word and returns a [Result]
//     (substitutions, deletions, insertions and the word error rate).
//   - [Alignment] returns the edit operations themselves, for reports.
//   - [Tally] and [Aggregate] sum results over many clips.
//
// # Why normalise
//
// Whisper writes "In 1455, the 42-line Bible..." where a reference says
// "in fourteen fifty-five, the forty-two line Bible". Counting those as
// errors measures spelling conventions, not recognition, so both sides go
// through the same [Normalize] before they are compared. Every rule below
// is applied to reference and hypothesis alike.
//
// # Words and punctuation
//
// Text inside [square], (round) or {curly} brackets or between *asterisks*
// is removed, as Whisper marks non-speech that way ("[BLANK_AUDIO]",
// "(music)", "*laughs*"). Real parenthetical words in a reference would go
// too, so references should not use brackets. An unmatched bracket is
// dropped on its own.
//
// Text is lower-cased with Unicode case mapping and split into words: runs
// of letters, decimal digits and combining marks. No other Unicode
// normalisation is done, so a precomposed "é" and "e" with a combining
// accent stay different. All other characters separate words and are
// dropped, except:
//
//   - An apostrophe (', ’, ‘, ʼ or `) between two word characters stays,
//     as "'": "don't", "tatter'd", "90's". Quotes at a word's edge go.
//   - Between digits, a comma followed by exactly three digits is a
//     thousands separator and is removed ("1,455" → "1455"); a point is a
//     decimal point and stays ("3.5").
//   - "%" becomes "percent", and so does "per cent". "&" becomes "and".
//   - A currency sign directly before a number becomes a word after it:
//     "$5" → "5 dollars", "$1" → "1 dollar", "£2.50" → "2.50 pounds",
//     "€3" → "3 euros", "$2 million" → "2 million dollars". Spelled amounts
//     read the same: "five dollars" → "5 dollars".
//
// Contractions, spellings, fillers ("um") and plurals are left alone.
//
// # Numbers
//
// Spelled numbers become digits. A spelled number may run across hyphens
// and dashes but not across other punctuation, so "one, two" stays two
// numbers.
//
//   - Cardinals below a million: "forty-two" → "42", "a hundred and one" →
//     "101", "two thousand and one" → "2001", "one thousand nine hundred"
//     and "nineteen hundred" → "1900", "hundred" → "100". Every number
//     word is converted, even "one" in "no one", as Whisper may write
//     either way.
//   - "million", "billion" and "trillion" stay words, because Whisper
//     writes "2 million" rather than "2000000": "two million" → "2
//     million". "a million" is left alone.
//   - Year-style pairs: a number from 13 to 99 made of tens and units
//     only, followed by one from 10 to 99 or by "oh" and a digit, is a
//     year: "fourteen fifty-five" → "1455", "nineteen ninety nine" →
//     "1999", "twenty twenty" → "2020", "nineteen oh five" → "1905". Pairs
//     starting below 13 stay apart because they are usually clock times:
//     "ten fifteen" → "10 15", as "10:15" gives.
//   - Runs of two or more single digits join, as in phone numbers: "five
//     five five one two" → "55512". "oh" is zero inside such a run ("one
//     oh one" → "101") and after "point", and stays "oh" elsewhere.
//   - Decimals: "three point one four" → "3.14", "zero point five" → "0.5".
//   - Ordinals, spelled or in digits: "third" and "3rd" → "3rd",
//     "twenty-first" → "21st", "one hundredth" → "100th", "first" → "1st".
//     "second", the unit of time, also becomes "2nd", on both sides alike.
//
// [Normalize] is idempotent: normalising the joined output again returns
// the same words.
//
// # Word error rate
//
// WER = (S + D + I) / N, where N is the number of reference words and S,
// D and I are the substitutions, deletions and insertions of a
// minimum-cost Levenshtein alignment in which each edit costs 1. Among
// alignments of equal cost the one with the fewest substitutions, hence
// the most matches, is chosen: that makes [Alignment] easier to read and
// leaves the WER unchanged.
//
// An empty reference is scored as if it had one word: WER is 0 for an
// empty hypothesis and the number of inserted words otherwise, so
// hallucinated text on silence is visible and the value is never NaN or
// infinite. Corpus WER, from [Tally] or [Aggregate], divides total errors
// by total reference words, so long clips weigh more than short ones.
package wer
