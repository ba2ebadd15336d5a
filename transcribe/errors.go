package transcribe

import "errors"

var (
	// ErrBadConfig reports an invalid configuration.
	ErrBadConfig = errors.New("transcribe: invalid config")
	// ErrClosed reports a job submitted to a closed pool.
	ErrClosed = errors.New("transcribe: pool closed")
	// ErrEmpty reports a job with no audio.
	ErrEmpty = errors.New("transcribe: empty audio")
	// ErrSuperseded answers a waiting partial replaced by a newer partial
	// of the same key.
	ErrSuperseded = errors.New("transcribe: partial superseded")
	// ErrDropped answers a waiting partial dropped because the partial
	// queue was full: the pool is behind.
	ErrDropped = errors.New("transcribe: partial dropped, pool behind")
	// ErrPreempted answers a running partial or speculative final aborted
	// so that a final waiting for a worker could start at once.
	ErrPreempted = errors.New("transcribe: preempted by a final")
)
