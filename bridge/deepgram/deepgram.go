// Package deepgram serves Deepgram's speech-to-text API (v1/listen) on
// callscribe's pipeline, so that Deepgram's SDKs and the frameworks built
// on them work against callscribe by changing their base URL.
//
//	GET  /v1/listen?encoding=linear16&sample_rate=16000&channels=2&multichannel=true&interim_results=true
//	GET  /v1/listen?interim_results=true   (WAV, Ogg/Opus or WebM/Opus, as MediaRecorder sends it)
//	POST /v1/listen?multichannel=true&utterances=true   (WAV, Ogg/Opus, WebM/Opus, MP3, FLAC or raw audio)
//
// Audio without an encoding is known by its first bytes (package
// codec/container); a live Ogg or WebM stream is demuxed as its messages
// arrive, cut anywhere, and its Opus decoded by the decoder
// Config.NewOpusDecoder makes (libopus, injected by the service, so that
// this package builds without cgo).
//
// A live stream is a call like any other: its channels are tracks of a
// call in the hub, so subscriptions, webhooks and stored transcripts see
// it. What the client receives is the same transcript, in Deepgram's
// messages: Results (interim and final), SpeechStarted, UtteranceEnd, and
// Metadata after CloseStream. The mapping is honest about what the
// pipeline knows:
//
//   - An interim Results is a callscribe partial: the whole utterance so
//     far, its stable prefix never retracted.
//   - is_final is sent once per utterance, when its final is decoded at the
//     utterance's end: callscribe decodes finals over the whole utterance,
//     so no earlier part is final before that.
//   - speech_final is true on a final whose utterance ended in silence (the
//     segmenter's end of speech, endpointing), false on one that a Finalize
//     (from_finalize) or the stream's end cut.
//   - SpeechStarted (vad_events) goes with an utterance's first result:
//     callscribe learns of speech when it first decodes it.
//   - UtteranceEnd (utterance_end_ms) follows a final once the audio has
//     run that long past its last word with no new utterance.
//
// Deepgram's model names are served by the configured Whisper model, and
// every result's metadata.model_info says so.
package deepgram
