package webrtc

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/pion/logging"
)

// pionLogs routes pion's logs into the service's slog logger: its errors
// at Warn (they are about one peer, which the session's own log names),
// its warnings, info and debug lines at Debug, its traces nowhere.
type pionLogs struct{ log *slog.Logger }

func (f pionLogs) NewLogger(scope string) logging.LeveledLogger {
	return pionLogger{f.log.With("pion", scope)}
}

type pionLogger struct{ log *slog.Logger }

func (l pionLogger) at(level slog.Level, msg string) {
	if l.log.Enabled(context.Background(), level) {
		l.log.Log(context.Background(), level, msg)
	}
}

func (l pionLogger) atf(level slog.Level, format string, args ...any) {
	if l.log.Enabled(context.Background(), level) {
		l.log.Log(context.Background(), level, fmt.Sprintf(format, args...))
	}
}

func (pionLogger) Trace(string)                {}
func (pionLogger) Tracef(string, ...any)       {}
func (l pionLogger) Debug(m string)            { l.at(slog.LevelDebug, m) }
func (l pionLogger) Debugf(f string, a ...any) { l.atf(slog.LevelDebug, f, a...) }
func (l pionLogger) Info(m string)             { l.at(slog.LevelDebug, m) }
func (l pionLogger) Infof(f string, a ...any)  { l.atf(slog.LevelDebug, f, a...) }
func (l pionLogger) Warn(m string)             { l.at(slog.LevelDebug, m) }
func (l pionLogger) Warnf(f string, a ...any)  { l.atf(slog.LevelDebug, f, a...) }
func (l pionLogger) Error(m string)            { l.at(slog.LevelWarn, m) }
func (l pionLogger) Errorf(f string, a ...any) { l.atf(slog.LevelWarn, f, a...) }
