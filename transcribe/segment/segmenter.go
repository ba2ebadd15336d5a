package segment

// state is where the Segmenter is in the life of an utterance.
type state uint8

const (
	idle     state = iota // no speech
	pending               // speech seen, not yet MinSpeech long
	speaking              // inside an utterance, speech on
	trailing              // inside an utterance, speech off for less than MinSilence
)

// Segmenter applies Config's rules to one track's windows. It is not safe
// for concurrent use; give each track its own.
type Segmenter struct {
	cfg Config
	// Config durations in samples.
	minSpeech, minSilence, pad, lead, maxLen, search int64

	state        state
	started      bool  // a window has been accepted since New or Reset
	last         int64 // end of the last accepted window
	floor        int64 // no utterance may start before this: track start or the previous End
	candStart    int64 // first speech window of the candidate or open utterance
	uttStart     int64 // Start of the open utterance, padding included
	silenceStart int64 // where speech went off, while trailing
	recent       history
}

// New returns a Segmenter for one track, or the error from cfg.Validate.
func New(cfg Config) (*Segmenter, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.WithDefaults()
	return &Segmenter{
		cfg:        cfg,
		minSpeech:  cfg.samples(cfg.MinSpeech),
		minSilence: cfg.samples(cfg.MinSilence),
		pad:        cfg.samples(max(cfg.SpeechPad, 0)),
		lead:       cfg.leadPad(),
		maxLen:     cfg.samples(cfg.MaxUtterance),
		search:     cfg.samples(cfg.SplitSearch),
	}, nil
}

// leadPad is the padding before speech in samples: LeadPad, or SpeechPad.
func (c Config) leadPad() int64 {
	if c.LeadPad == 0 {
		return c.samples(max(c.SpeechPad, 0))
	}
	return c.samples(max(c.LeadPad, 0))
}

// Push feeds the next window of the track and appends the events it causes
// to dst, returning the extended slice as append does (usually dst itself:
// most windows cause none). Windows must come in track order; a gap between
// windows counts as elapsed time, and a window that starts before the
// previous one ended, or is empty, is ignored.
func (s *Segmenter) Push(dst []Event, w Window) []Event {
	if w.Samples <= 0 || (s.started && w.Start < s.last) {
		return dst
	}
	if !s.started {
		s.started, s.floor, s.last = true, w.Start, w.Start
	}
	prevEnd := s.last
	s.last = w.End()
	s.recent.add(w, s.last-s.search)

	switch s.state {
	case idle:
		if w.Prob >= s.cfg.Threshold {
			s.state, s.candStart = pending, w.Start
			dst = s.confirm(dst)
		}
	case pending:
		if w.Prob < s.cfg.ReleaseThreshold {
			s.state = idle // too short: a click, a cough, a burst of noise
		} else {
			dst = s.confirm(dst)
		}
	case speaking:
		if w.Prob < s.cfg.ReleaseThreshold {
			// From the end of the last speech window, so that a gap in
			// the audio (lost packets) counts as silence too.
			s.state, s.silenceStart = trailing, prevEnd
		}
	case trailing:
		// Windows between the two thresholds count as silence here, as
		// they do in Silero's own iterator: only clear speech resumes.
		if w.Prob >= s.cfg.Threshold {
			s.state = speaking
		}
	}
	if s.state == trailing && s.last-s.silenceStart >= s.minSilence {
		return s.end(dst, min(s.silenceStart+s.pad, s.last), false)
	}
	if s.last-s.uttStart >= s.maxLen {
		switch s.state {
		case speaking:
			dst = s.split(dst)
		case trailing:
			// Speech is already off: end here rather than cut before the
			// silence began.
			dst = s.end(dst, min(s.silenceStart+s.pad, s.last), true)
		}
	}
	return dst
}

// Flush ends an open utterance at the end of the audio pushed so far (or at
// the padded end of its speech, if speech had already stopped) and drops a
// candidate that has not reached MinSpeech. Call it when the track ends.
func (s *Segmenter) Flush(dst []Event) []Event {
	switch s.state {
	case speaking:
		dst = s.end(dst, s.last, false)
	case trailing:
		dst = s.end(dst, min(s.silenceStart+s.pad, s.last), false)
	case pending:
		s.state = idle
	}
	return dst
}

// InSpeech reports whether an utterance is open: a SpeechStart has been
// emitted and its SpeechEnd has not.
func (s *Segmenter) InSpeech() bool { return s.state == speaking || s.state == trailing }

// Pause reports, while speech has stopped inside an utterance, where the
// utterance will end if the silence lasts (end, padding included) and how
// long the silence has lasted so far, in samples. It is the segmenter's
// own forecast: the SpeechEnd that MinSilence brings carries this end. It
// reports only once the silence covers the end padding, so the audio up to
// end has been pushed. A caller may start work on the utterance early and
// drop it if speech resumes (Pause then reports false, or a later end).
func (s *Segmenter) Pause() (end, silence int64, ok bool) {
	if s.state != trailing || s.last-s.silenceStart < s.pad {
		return 0, 0, false
	}
	return s.silenceStart + s.pad, s.last - s.silenceStart, true
}

// Stopped reports, while speech has stopped inside an utterance, where it
// stopped and how long the silence has lasted so far, in samples: from the
// first silent window on, earlier than Pause, for a caller that starts
// work on the utterance before the padding after its speech has come in.
// The SpeechEnd that MinSilence brings ends at the stop plus the padding.
// The stop stays the same until speech resumes.
func (s *Segmenter) Stopped() (at, silence int64, ok bool) {
	if s.state != trailing {
		return 0, 0, false
	}
	return s.silenceStart, s.last - s.silenceStart, true
}

// EndPause ends the open utterance at the pause in progress, as the
// silence would once it lasted MinSilence, for a caller that confirmed the
// end by other means (a decode of the utterance reads as a finished
// sentence). It appends the SpeechEnd, which ends at the stop plus the
// padding, and reports true; unless speech is off and the silence covers
// the padding, it appends nothing and reports false.
func (s *Segmenter) EndPause(dst []Event) ([]Event, bool) {
	if s.state != trailing || s.last-s.silenceStart < s.pad {
		return dst, false
	}
	return s.end(dst, s.silenceStart+s.pad, false), true
}

// Reset forgets the track, keeping the configuration, so the Segmenter can
// serve a new one. An open utterance is dropped without a SpeechEnd.
func (s *Segmenter) Reset() {
	s.state, s.started, s.last, s.floor = idle, false, 0, 0
	s.recent.clear()
}

func (s *Segmenter) confirm(dst []Event) []Event {
	if s.last-s.candStart < s.minSpeech {
		return dst
	}
	s.state = speaking
	s.uttStart = max(s.candStart-s.lead, s.floor)
	return append(dst, SpeechStart{At: s.uttStart})
}

func (s *Segmenter) end(dst []Event, at int64, forced bool) []Event {
	s.state, s.floor = idle, at
	return append(dst, SpeechEnd{Start: s.uttStart, End: at, Forced: forced})
}

// split cuts the open utterance in the middle of the quietest recent window
// and opens the next one there, so no audio falls between them.
func (s *Segmenter) split(dst []Event) []Event {
	at := s.last
	if q, ok := s.recent.quietest(max(s.uttStart, s.last-s.search)); ok {
		at = q.Start + int64(q.Samples)/2
	}
	dst = append(dst, SpeechEnd{Start: s.uttStart, End: at, Forced: true}, SpeechStart{At: at})
	s.uttStart, s.floor = at, at
	return dst
}
