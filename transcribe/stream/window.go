package stream

import "github.com/callscribe/callscribe/transcribe"

// window is where a partial's audio starts: at a position on the track,
// with the first words stable words lying before it.
type window struct {
	start int64
	words int
}

// windowLead is how far before a stable word's start time the window
// opens: token times run late by a frame or two, and a window that cuts
// a word's onset makes the decoder mishear it.
const windowLead = 0.1

// advanceWindow moves the utterance's next window after a result. Words
// still unstable that start more than PartialUnstable before the end of
// the audio decoded become stable first: the window must not grow with a
// model that keeps changing its mind. Then the window opens PartialContext
// before the end of the stable words, at a word's start; the stable words
// before it become the partial's prompt.
func (p *UtterancePolicy) advanceWindow(u *utterance) {
	decoded := seconds(u.requestedTo)
	limit := decoded - p.cfg.PartialUnstable.Seconds()
	forced := 0
	for forced < len(u.stab.tail) && u.stab.tail[forced].Start < limit {
		forced++
	}
	if forced > 0 {
		u.stab.commit(forced)
		p.stats.PartialWordsForced += forced
	}
	stable := u.stab.stable
	n := len(stable)
	if n == 0 {
		// Nothing heard yet: the window still may not grow without bound.
		if lo := u.requestedTo - transcribe.SamplesOf(p.cfg.PartialUnstable); lo > u.win.start {
			u.win.start = lo
		}
		return
	}
	keepFrom := stable[n-1].End - p.cfg.PartialContext.Seconds()
	j := u.win.words
	for j < n && stable[j].Start < keepFrom {
		j++
	}
	if j == u.win.words {
		return
	}
	at := stable[n-1].End
	if j < n {
		at = stable[j].Start - windowLead
	}
	u.win = window{start: min(max(u.win.start, transcribe.PositionOf(at)), u.requestedTo), words: j}
}
