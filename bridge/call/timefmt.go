package call

import "time"

// timeFormat is RFC 3339 with milliseconds, the format of every time in the
// event schema.
const timeFormat = "2006-01-02T15:04:05.000Z07:00"

func formatTime(t time.Time) string { return t.UTC().Format(timeFormat) }
