package webhooks

import (
	"testing"

	"github.com/callscribe/callscribe/bridge/event"
)

var formatInput = []event.Utterance{
	{Track: "inbound", Start: 1.2, End: 3.4567, Text: "Hello, I need help."},
	{Track: "outbound", Start: 3.5, End: 3.2, Text: "Sure <b>&</b>\nline --> two"}, // end before start
	{Track: "inbound", Start: 5, End: 6, Text: "   "},                              // empty: no cue
	{Track: "inbound", Start: 3725.0004, End: 3726.9996, Text: "An hour in."},
	{Track: "ch0", Start: -1, End: 0.5, Text: "negative start"},
}

func TestFormatSRT(t *testing.T) {
	want := "1\n00:00:01,200 --> 00:00:03,457\n[inbound] Hello, I need help.\n\n" +
		"2\n00:00:03,500 --> 00:00:03,500\n[outbound] Sure <b>&</b> line --> two\n\n" +
		"3\n01:02:05,000 --> 01:02:07,000\n[inbound] An hour in.\n\n" +
		"4\n00:00:00,000 --> 00:00:00,500\n[ch0] negative start\n\n"
	if got := FormatSRT(formatInput); got != want {
		t.Errorf("FormatSRT =\n%q\nwant\n%q", got, want)
	}
	if got := FormatSRT(nil); got != "" {
		t.Errorf("FormatSRT(nil) = %q", got)
	}
}

func TestFormatWebVTT(t *testing.T) {
	want := "WEBVTT\n\n" +
		"00:00:01.200 --> 00:00:03.457\n<v inbound>Hello, I need help.\n\n" +
		"00:00:03.500 --> 00:00:03.500\n<v outbound>Sure &lt;b&gt;&amp;&lt;/b&gt; line --&gt; two\n\n" +
		"01:02:05.000 --> 01:02:07.000\n<v inbound>An hour in.\n\n" +
		"00:00:00.000 --> 00:00:00.500\n<v ch0>negative start\n\n"
	if got := FormatWebVTT(formatInput); got != want {
		t.Errorf("FormatWebVTT =\n%q\nwant\n%q", got, want)
	}
	if got := FormatWebVTT(nil); got != "WEBVTT\n\n" {
		t.Errorf("FormatWebVTT(nil) = %q", got)
	}
}
