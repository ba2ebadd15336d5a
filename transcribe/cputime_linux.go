package transcribe

import (
	"syscall"
	"time"
)

// rusageThread is Linux's RUSAGE_THREAD, which package syscall does not
// name.
const rusageThread = 1

// threadCPU returns the CPU time the calling OS thread has used. The
// caller keeps its goroutine on that thread (runtime.LockOSThread) between
// two readings.
func threadCPU() (time.Duration, bool) { return cpuOf(rusageThread) }

// ProcessCPU returns the CPU time, user and system, that the whole process
// has used: every thread, whisper.cpp's and a Vulkan driver's included.
// Benchmarks read it before and after to report CPU per second of audio.
// It is 0 if the system does not say.
func ProcessCPU() time.Duration {
	cpu, _ := cpuOf(syscall.RUSAGE_SELF)
	return cpu
}

// cpuOf returns the user and system CPU time getrusage reports for who.
func cpuOf(who int) (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(who, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
