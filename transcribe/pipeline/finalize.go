package pipeline

import "sync"

// finalizeReports holds the callbacks of FinalizeReport calls that the
// track's goroutine has not answered yet.
type finalizeReports struct {
	mu      sync.Mutex
	pending []func(utteranceID string)
}

func (f *finalizeReports) add(done func(string)) {
	f.mu.Lock()
	f.pending = append(f.pending, done)
	f.mu.Unlock()
}

// answer calls every pending callback with id.
func (f *finalizeReports) answer(id string) {
	f.mu.Lock()
	pending := f.pending
	f.pending = nil
	f.mu.Unlock()
	for _, done := range pending {
		done(id)
	}
}

// Finalize ends the utterance in progress.
func (tr *track) Finalize() error { return tr.FinalizeReport(nil) }

// FinalizeReport ends the utterance in progress, then calls done with the
// utterance whose final it requested ("" when none was open). It
// implements bridge.FinalizeReporter.
func (tr *track) FinalizeReport(done func(utteranceID string)) error {
	if done != nil {
		tr.reports.add(done)
	}
	select {
	case tr.finalize <- struct{}{}:
	default: // one is already pending; it answers this call too
	}
	return nil
}

// finalizeNow runs a Finalize on the track's goroutine. The audio written
// before it is taken first (the select in run may have picked the
// finalize over queued audio), so the utterance ends where the client's
// audio ended.
func (tr *track) finalizeNow() {
	for drained := false; !drained; {
		select {
		case c := <-tr.in:
			tr.audio(c)
		default:
			drained = true
		}
	}
	tr.lastFinal = ""
	tr.endUtterance()
	tr.reports.answer(tr.lastFinal)
}
