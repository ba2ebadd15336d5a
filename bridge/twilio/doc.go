// Package twilio serves Twilio Media Streams (GET /v1/twilio): the
// transport that turns one stream of a live call into tracks of audio for
// the transcriber and writes the call's events back.
//
// The protocol itself (messages, parsing, the media format) is package
// wire; the platform's side, for tests and the load generator, is package
// twiliotest. This package is the server: a stream is a wsconn.Handler on
// the session skeleton every WebSocket transport shares, its tracks are
// placed by media timestamp on a timeline and fed to the transcriber
// through trackfeed, and the close codes and reasons it ends a stream with
// are named here (CloseFor maps a wire error to its close frame) so that
// the same fault always reads the same to the platform. It holds no
// transcription policy: what to transcribe, and when, is the pipeline's.
//
// Custom parameters a stream may set in its TwiML <Parameter> elements are
// ParamTranscripts, ParamPartials and ParamLanguage.
package twilio
