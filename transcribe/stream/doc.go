// Package stream is the per-track streaming policy of live transcription:
// when to decode, what to show while a person speaks, and which final
// transcripts to believe.
//
// An UtterancePolicy is pure. It never reads a clock, starts a goroutine or
// touches the recogniser: the session feeds it the track's audio, the
// segmenter's utterance boundaries, decode results and the current time,
// and it answers with DecodeRequests to submit to the pool and Partial and
// Final transcripts to emit. One goroutine per track drives it, in this
// order:
//
//  1. Push each chunk of the track's 16 kHz audio (positions in samples
//     since the call started), then hand the same audio to the segmenter.
//  2. For each segmenter event: SpeechStart{At} → OnSpeechStart(At, now);
//     SpeechEnd{Start, End} → OnSpeechEnd(Start, End, now).
//  3. Submit every DecodeRequest returned (req.Job(key) for the pool) and,
//     when it answers, pass the result back on the track's goroutine:
//     OnPartialResult or OnFinalResult with req.UtteranceID, or
//     OnDecodeFailed(req) on an error.
//  4. At hang-up, after flushing the segmenter, call Flush(now) and submit
//     the final it returns; keep accepting results until they are in.
//
// Partials. While an utterance is open, a partial decode of the whole
// utterance so far is requested each time PartialInterval of new audio has
// come in, never while one is in flight. Each result is one hypothesis;
// the stable prefix grows by local agreement (a word is stable once two
// consecutive hypotheses agree on it and all before it) and is never taken
// back within the utterance, even when a later hypothesis disagrees: the
// shown stable words stay and the new words go to the unstable tail.
//
// Finals. Each utterance gets exactly one final request, at its speech end,
// at Flush, or when the policy splits it (MaxUtterance, or a gap in the
// audio too long to fill with silence). The final is decoded afresh with
// better settings and the previous final as prompt; it replaces the
// partial view and need not start with the last StableText shown.
//
// Guards. Results pass GuardConfig.Judge before they are shown: no-speech
// segments, repetition loops, empty text, sound annotations, Whisper's
// silence phrases and echoes of the previous final are dropped and counted
// in Stats by DropReason.
package stream
