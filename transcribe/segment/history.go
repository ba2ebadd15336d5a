package segment

// history keeps the windows of the last SplitSearch of the track, where a
// forced split looks for the quietest point. It reuses its backing array, so
// once it has grown to one search span it stops allocating.
type history struct {
	windows []Window
	head    int // windows[:head] have expired
}

// add appends w and expires windows that ended at or before horizon.
func (h *history) add(w Window, horizon int64) {
	h.windows = append(h.windows, w)
	for h.head < len(h.windows) && h.windows[h.head].End() <= horizon {
		h.head++
	}
	// Move the live tail down once the dead head dominates, keeping the
	// array bounded without shifting on every window.
	if h.head > 32 && 2*h.head > len(h.windows) {
		n := copy(h.windows, h.windows[h.head:])
		h.windows, h.head = h.windows[:n], 0
	}
}

// quietest returns the window starting at or after from with the lowest
// energy; ties go to the lower probability, then to the later window, which
// keeps the piece before the cut as long as possible.
func (h *history) quietest(from int64) (Window, bool) {
	var best Window
	found := false
	for _, w := range h.windows[h.head:] {
		if w.Start < from {
			continue
		}
		if !found || w.Energy < best.Energy || (w.Energy == best.Energy && w.Prob <= best.Prob) {
			best, found = w, true
		}
	}
	return best, found
}

func (h *history) clear() { h.windows, h.head = h.windows[:0], 0 }
