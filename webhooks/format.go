package webhooks

import (
	"fmt"
	"math"
	"strings"

	"github.com/callscribe/callscribe/bridge/event"
)

// FormatSRT renders utterances as SubRip subtitles, one cue per non-empty
// utterance, numbered from 1, the speaking track in brackets before the text.
func FormatSRT(us []event.Utterance) string {
	var b strings.Builder
	n := 0
	for _, u := range us {
		text := oneLine(u.Text)
		if text == "" {
			continue
		}
		n++
		start, end := cueSpan(u)
		fmt.Fprintf(&b, "%d\n%s --> %s\n[%s] %s\n\n", n, cueTime(start, ','), cueTime(end, ','), oneLine(u.Track), text)
	}
	return b.String()
}

// FormatWebVTT renders utterances as a WebVTT file, one cue per non-empty
// utterance, with the track as the cue's voice (<v track>).
func FormatWebVTT(us []event.Utterance) string {
	var b strings.Builder
	b.WriteString("WEBVTT\n\n")
	for _, u := range us {
		text := oneLine(u.Text)
		if text == "" {
			continue
		}
		start, end := cueSpan(u)
		fmt.Fprintf(&b, "%s --> %s\n<v %s>%s\n\n", cueTime(start, '.'), cueTime(end, '.'), vttEscape(oneLine(u.Track)), vttEscape(text))
	}
	return b.String()
}

// cueSpan returns u's span in milliseconds, never negative or reversed.
func cueSpan(u event.Utterance) (start, end int64) {
	start = max(int64(math.Round(u.Start*1000)), 0)
	end = max(int64(math.Round(u.End*1000)), start)
	return start, end
}

// cueTime formats milliseconds as HH:MM:SS followed by sep and milliseconds.
func cueTime(ms int64, sep byte) string {
	h, ms := ms/3_600_000, ms%3_600_000
	m, ms := ms/60_000, ms%60_000
	s, ms := ms/1000, ms%1000
	return fmt.Sprintf("%02d:%02d:%02d%c%03d", h, m, s, sep, ms)
}

// oneLine collapses runs of white space, line breaks included, into single
// spaces: a blank line would end a cue early.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// vttEscape escapes the characters WebVTT cue text reserves; it also keeps
// "-->" out of cue text.
var vttEscape = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace
