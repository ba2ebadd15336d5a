//go:build !linux

package transcribe

import "time"

// threadCPU reports no thread CPU time: the pool then measures decodes by
// wall time.
func threadCPU() (time.Duration, bool) { return 0, false }

// ProcessCPU reports no process CPU time on this system: 0.
func ProcessCPU() time.Duration { return 0 }
