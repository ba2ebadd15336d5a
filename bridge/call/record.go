package call

import (
	"strings"

	"github.com/callscribe/callscribe/bridge/event"
)

// record is what a call keeps of its finals: the transcript for call.ended,
// the utterance ids already final (a reconnecting stream may transcribe the
// same speech again), and the counts call.ended reports.
type record struct {
	finals []event.Utterance
	final  map[string]struct{}
	words  int
	// lastEnd is the latest end of a final, in call time: the call lasted
	// at least that long even if the transport never reported media time.
	lastEnd float64
}

func newRecord() record { return record{final: make(map[string]struct{})} }

// accept reports whether a transcript event may be emitted: not when its
// utterance already has a final. That drops a repeated final, and a late
// partial that would reopen a finished utterance on screen.
func (r *record) accept(e *event.Event) bool {
	if e.UtteranceID == "" {
		return true
	}
	_, done := r.final[e.UtteranceID]
	return !done
}

// add records e if it is a final.
func (r *record) add(e *event.Event) {
	if e.Type != event.Transcript || !e.IsFinal {
		return
	}
	if e.UtteranceID != "" {
		r.final[e.UtteranceID] = struct{}{}
	}
	r.finals = append(r.finals, event.UtteranceOf(e))
	if len(e.Words) > 0 {
		r.words += len(e.Words)
	} else {
		r.words += len(strings.Fields(e.Text))
	}
	r.lastEnd = max(r.lastEnd, e.End)
}

// transcript returns every final of the call, both tracks, in time order.
func (r *record) transcript() []event.Utterance {
	us := append([]event.Utterance(nil), r.finals...)
	event.SortUtterances(us)
	return us
}
