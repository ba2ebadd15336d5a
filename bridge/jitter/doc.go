// Package jitter puts one RTP audio stream back in order and decides what
// to do about the packets that never come. It is pure policy: packets and
// their RTP sequence numbers and timestamps go in, spans of the stream's
// timeline come out, with no socket, clock or codec.
//
// The rules:
//
//   - Order is the sequence number's, extended across its 16-bit
//     wraparound; positions are the RTP timestamps', extended across their
//     32-bit wraparound, counted from the first packet. Loss, reordering and
//     the arrival times never move audio: a span's Start is the RTP clock's.
//   - A packet that continues the released stream is released at once: the
//     buffer adds no delay while nothing is missing.
//   - Behind a missing sequence number, packets wait until Latency of audio
//     (or MaxHeld packets) waits with them, then the missing ones are
//     declared lost and the gap is released as a Lost span for the decoder
//     to conceal (with the next packet at hand, for in-band FEC). A gap
//     longer than MaxConceal is concealed for MaxConceal and filled with
//     Silence after that, since extrapolating speech further only invents
//     it.
//   - A jump of the timestamps with no missing sequence number is the
//     sender pausing (discontinuous transmission, a hold): Silence.
//   - A packet that arrives after its place was concealed is Late and
//     dropped; one already released or held is a Duplicate.
//   - A packet far from the stream (sequence number more than MaxDropout
//     ahead or MaxMisorder behind, or timestamps more than MaxGap away from
//     where its sequence number puts it) is held on probation: if the next
//     packet follows it, the sender restarted its stream and the buffer
//     resets there (Span.Reset; positions continue from where the released
//     audio ended, and the caller may move them by its own clock); if not,
//     it was a stray and is dropped.
//
// Flush releases everything held, concealing the gaps, as at the end of a
// stream or when the caller's clock says the sender went quiet.
package jitter
