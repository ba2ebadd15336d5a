package engine

import "C"

import (
	"context"
	"log/slog"
	"strings"
	"sync/atomic"
)

var engineLogger atomic.Pointer[slog.Logger]

func setLogger(l *slog.Logger) { engineLogger.Store(l) }

// logger is the logger Load was given last, else slog.Default().
func logger() *slog.Logger {
	if l := engineLogger.Load(); l != nil {
		return l
	}
	return slog.Default()
}

// ggml log levels (ggml.h: enum ggml_log_level).
const (
	ggmlLogDebug = 1
	ggmlLogInfo  = 2
	ggmlLogWarn  = 3
	ggmlLogError = 4
	ggmlLogCont  = 5
)

// goEngineLog receives whisper.cpp and ggml log lines. whisper.cpp logs
// loading details at info level: they go to debug so a server's log stays
// about calls; warnings and errors keep their level, except "failed to
// encode/decode" and "aborting": whisper.cpp says that for every decode its abort
// callback stopped (a hung-up call, a partial preempted by a final), and
// a real failure reaches the caller as an error that the pipeline logs.
//
//export goEngineLog
func goEngineLog(level C.int, text *C.char) {
	msg := strings.TrimRight(C.GoString(text), "\n")
	if msg == "" {
		return
	}
	l := logger()
	lvl := slog.LevelDebug
	switch int(level) {
	case ggmlLogWarn:
		lvl = slog.LevelWarn
	case ggmlLogError:
		lvl = slog.LevelError
		if strings.Contains(msg, "failed to encode") || strings.Contains(msg, "failed to decode") || strings.Contains(msg, "aborting") {
			lvl = slog.LevelDebug
		}
	}
	l.Log(context.Background(), lvl, msg, "component", "whisper.cpp")
}
