// Package codec converts telephony and raw audio into float32 samples and
// changes their sample rate, for speech recognition.
//
// It knows nothing of calls, sockets or transcription: it only turns bytes
// into samples and back, and samples at one rate into samples at another.
//
//   - G.711: [DecodeMulaw], [DecodeAlaw], [EncodeMulaw], [EncodeAlaw] (the
//     companding tables come from github.com/zaf/g711).
//   - Raw frames: [DecodeLinear16LE], [DecodeFloat32LE].
//   - Sample rate conversion: [Resampler] for streams, [Resample] for
//     whole buffers. Both use a polyphase windowed-sinc (Kaiser) filter and
//     are delay-compensated: output sample k is the signal at input time
//     k/outRate, so timestamps carry over between rates unchanged.
//   - WAV files: [ReadWAV] and [WriteWAV] with [Audio], which keeps every
//     channel separate (the two legs of a stereo call recording are
//     transcribed separately).
//
// Samples are float32 in [-1, 1): an int16 sample s becomes s/32768.
//
// Every function that decodes or converts appends to a caller's slice and
// allocates nothing once that slice has enough capacity, so the per-frame
// path of a live call produces no garbage. All errors wrap one of the
// sentinels in errors.go, so callers can test them with [errors.Is].
package codec
