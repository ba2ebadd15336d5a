// Package segment turns per-window speech probabilities from a voice
// activity detector into utterance boundaries on one audio track.
//
// It is pure policy: no model, no clock, no I/O. The caller scores each
// window of the track (package vad does it for 32 ms windows at 16 kHz) and
// passes the probability, the window's position in samples and its audio
// energy to Segmenter.Push, which returns SpeechStart and SpeechEnd events
// in track samples. The rules, each set in Config:
//
//   - Hysteresis: speech starts at a window at or above Threshold and lasts
//     while windows stay at or above the lower ReleaseThreshold; once it has
//     dropped, only Threshold brings it back.
//   - A candidate start becomes an utterance only after MinSpeech of speech,
//     so clicks and coughs are dropped.
//   - An utterance ends after MinSilence without speech (about 600 ms suits
//     telephone turn-taking: shorter cuts sentences at breaths, longer delays
//     the transcript).
//   - SpeechPad of audio is kept before the first and after the last speech
//     window, so that Whisper hears word onsets and trailing consonants.
//   - An utterance longer than MaxUtterance is split at the quietest window
//     (lowest energy) of its last SplitSearch, so that no segment outgrows
//     what the recogniser handles well and the cut falls between words.
//
// Because starts are confirmed only after MinSpeech and padded backwards,
// events refer to audio already pushed: the caller must keep at least
// MinSpeech + SpeechPad + one window of recent audio (and a whole utterance,
// up to MaxUtterance, to hand to the recogniser).
package segment
