// Package adapt is the load-aware decode policy: from a snapshot of the
// decoder pool's load (transcribe.Load) it decides what a decode may
// spend now. It is pure: a function of the snapshot and its Config, with
// no clock, no goroutine and no model, so its tests are tables.
//
// When the pool has room it spends it where users see it: partials every
// 0.8 s of new speech, finals with beam search (5 beams), two threads for
// a final that decodes alone, and speculative finals during pauses. As
// the pool fills it sheds in a fixed order, each step before the next:
//
//  1. Partials stretch, from every 0.8 s to every 8 s of new speech (an
//     utterance's first partial keeps the short interval). Partials go
//     far before finals lose anything: a final's beam is worth more to
//     the transcript that is kept than a later partial is to the screen.
//  2. Finals go greedy (beam 1).
//  3. Finals keep to one thread and speculation stops.
//
// The steps follow the pool's utilisation (the share of its cores busy,
// averaged over a few seconds) and jump straight to the last one while
// any final waits for a worker: everything optional is shed before a
// final waits.
//
// Settings the operator pinned (a flag given explicitly) are not adapted:
// a pinned beam width, thread count or partial interval holds at every
// load.
//
// Admission is sized here too (Sizing): from the engine's cost measured
// on the loaded model, how many tracks the cores carry at the shed
// settings.
package adapt
