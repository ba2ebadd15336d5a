package timeline

// maxRecentSpans bounds the memory of released audio. Spans only split at
// gaps, so this many covers any realistic stretch; past it the oldest are
// forgotten and a repeat of them counts as late rather than duplicate.
const maxRecentSpans = 64

// span is a half-open range of positions, [start, end).
type span struct{ start, end int64 }

// recentAudio remembers where real audio, not silence, was released lately,
// so that a frame arriving again after its twin went out is told apart
// (Duplicate) from one whose slot was filled with silence (Late).
type recentAudio struct {
	spans []span // in position order, not touching
}

func (r *recentAudio) add(start, end int64) {
	if n := len(r.spans); n > 0 && r.spans[n-1].end == start {
		r.spans[n-1].end = end
		return
	}
	if len(r.spans) == maxRecentSpans {
		r.spans = append(r.spans[:0], r.spans[1:]...)
	}
	r.spans = append(r.spans, span{start, end})
}

// forget drops what lies before position before.
func (r *recentAudio) forget(before int64) {
	drop := 0
	for drop < len(r.spans) && r.spans[drop].end <= before {
		drop++
	}
	if drop > 0 {
		r.spans = append(r.spans[:0], r.spans[drop:]...)
	}
	if len(r.spans) > 0 && r.spans[0].start < before {
		r.spans[0].start = before
	}
}

// clashes reports whether [start, end) overlaps remembered audio by more
// than rounding explains.
func (r *recentAudio) clashes(start, end, slop int64) bool {
	for _, s := range r.spans {
		if clash(s.start, s.end, start, end, slop) {
			return true
		}
	}
	return false
}
