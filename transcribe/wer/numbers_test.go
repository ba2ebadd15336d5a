package wer

import "testing"

func TestNormalizeDigits(t *testing.T) {
	checkNormalize(t, [][2]string{
		{"1455", "1455"},
		{"1,455", "1455"},
		{"1,000,000", "1000000"},
		{"10,000 people", "10000 people"},
		{"1,2", "1 2"},
		{"1,2345", "1 2345"},
		{"one, two, three", "1 2 3"},
		{"In 1999, 2000 people came.", "in 1999 2000 people came"},
		{"3.5", "3.5"},
		{"It ended at 3.", "it ended at 3"},
		{"v1.2.3", "v1.2.3"},
		{"3rd", "3rd"},
		{"1st 2nd 21ST", "1st 2nd 21st"},
		{"the 1980s", "the 1980s"},
		{"10:15", "10 15"},
		{"555-1234", "555 1234"},
		{"007", "007"},
	})
}

func TestNormalizeCardinals(t *testing.T) {
	checkNormalize(t, [][2]string{
		{"one", "1"},
		{"no one knows", "no 1 knows"},
		{"zero", "0"},
		{"forty-two", "42"},
		{"forty two", "42"},
		{"Forty-Two line Bible", "42 line bible"},
		{"twenty five", "25"},
		{"nineteen", "19"},
		{"a hundred", "100"},
		{"hundred", "100"},
		{"one hundred and five", "105"},
		{"a hundred and one", "101"},
		{"one hundred five", "105"},
		{"three hundred and forty-two", "342"},
		{"two thousand and one", "2001"},
		{"a thousand", "1000"},
		{"one thousand nine hundred", "1900"},
		{"nineteen hundred", "1900"},
		{"nineteen hundred and five", "1905"},
		{"twenty five hundred", "2500"},
		{"two hundred thousand", "200000"},
		{"nine hundred ninety nine thousand nine hundred ninety nine", "999999"},
		{"a hundred and more", "100 and more"},
		{"one hundred, and five", "100 and 5"},
		{"twenty and five", "20 and 5"},
		{"hundred hundred", "100 100"},
		{"thousand thousand", "1000 1000"},
		{"a lot", "a lot"},
		{"a million", "a million"},
		{"one million three hundred thousand", "1 million 300000"},
		{"three point five", "3.5"},
		{"three point one four", "3.14"},
		{"three point oh five", "3.05"},
		{"zero point five", "0.5"},
		{"the one point I made", "the 1 point i made"},
		{"three point, five", "3 point 5"},
	})
}

func TestNormalizeYearsAndDigitRuns(t *testing.T) {
	checkNormalize(t, [][2]string{
		{"fourteen fifty-five", "1455"},
		{"about fourteen fifty five,", "about 1455"},
		{"nineteen ninety nine", "1999"},
		{"nineteen ninety-nine", "1999"},
		{"twenty twenty", "2020"},
		{"twenty twenty-one", "2021"},
		{"nineteen oh five", "1905"},
		{"nineteen oh", "19 oh"},
		{"nineteen, ninety", "19 90"},
		{"ten fifteen", "10 15"},
		{"twelve thirty", "12 30"},
		{"thirteen twelve", "1312"},
		{"nineteen five", "19 5"},
		{"five five five one two three four", "5551234"},
		{"five five five, one two three four", "555 1234"},
		{"one oh one", "101"},
		{"oh", "oh"},
		{"oh five", "oh 5"},
		{"oh no", "oh no"},
		{"one two", "12"},
		{"one", "1"},
		{"one hundred", "100"},
	})
}

func TestNormalizeOrdinals(t *testing.T) {
	checkNormalize(t, [][2]string{
		{"third", "3rd"},
		{"3rd", "3rd"},
		{"first", "1st"},
		{"1st", "1st"},
		{"second", "2nd"},
		{"eleventh twelfth thirteenth", "11th 12th 13th"},
		{"twenty-first", "21st"},
		{"twenty first", "21st"},
		{"the fifteenth century", "the 15th century"},
		{"twentieth", "20th"},
		{"ninety-ninth", "99th"},
		{"one hundredth", "100th"},
		{"a hundred and third", "103rd"},
		{"one hundred and eleventh", "111th"},
		{"two thousandth", "2000th"},
		{"nineteen eighty-fourth", "1984th"},
		{"first second", "1st 2nd"},
		{"one second", "1 2nd"},
	})
}
