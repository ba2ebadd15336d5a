// Package timeline rebuilds one audio track in call time from frames that
// arrive over a network: late, twice, out of order or not at all.
//
// A Timeline is fed frames as they arrive, each stamped with its position in
// milliseconds since the stream started (the call clock the platform stamps on
// media), and places them by that position rather than by arrival. It
// releases contiguous chunks of samples, each with its position in samples
// since the stream started, as soon as their order is certain: a frame that
// continues the released audio goes out at once; one that leaves a gap is
// held, briefly, in case the missing frame is only late. When the wait is
// over the gap is filled with silence, up to a cap; repeated frames are
// dropped as duplicates, and frames for positions already released are
// dropped as late. Stats counts every outcome.
//
// The package is pure: no sockets, no clock, no goroutines. It works on
// decoded samples of any type and any sample rate, so it knows no codec.
// RateGuard, equally pure, tells when media arrives faster than real time;
// the caller passes in the time.
package timeline
