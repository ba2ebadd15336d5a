package call

import (
	"sort"

	"github.com/callscribe/callscribe/bridge/event"
)

// history keeps the latest events of a call, partials excluded, for replay.
// It is append-only: an element, once written, is never written again, and
// dropping old events moves a start index or copies the live part into a
// new array. That is what lets since hand out sub-slices without copying:
// readers share the backing array with later appends, which only ever
// write past the end of what any reader holds.
type history struct {
	buf   []event.Event
	start int
	max   int
}

func (h *history) add(e event.Event) {
	h.buf = append(h.buf, e)
	if len(h.buf)-h.start > h.max {
		h.start++
	}
	// Compact once the dropped prefix is as long as the kept part, so
	// memory stays within twice the bound and each event is copied at most
	// once on average.
	if h.start >= h.max {
		kept := make([]event.Event, len(h.buf)-h.start, 2*h.max)
		copy(kept, h.buf[h.start:])
		h.buf, h.start = kept, 0
	}
}

// since returns the kept events with seq >= from, oldest first. The result
// is shared and must not be modified.
func (h *history) since(from uint64) []event.Event {
	live := h.buf[h.start:]
	i := sort.Search(len(live), func(i int) bool { return live[i].Seq >= from })
	return live[i:len(live):len(live)]
}
