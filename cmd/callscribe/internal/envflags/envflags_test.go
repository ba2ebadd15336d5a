package envflags

import (
	"flag"
	"io"
	"strings"
	"testing"
)

func TestFillPrefersTheCommandLine(t *testing.T) {
	t.Setenv("CALLSCRIBE_BEAM_SIZE", "3")
	t.Setenv("CALLSCRIBE_DATA_DIR", "from-env")
	t.Setenv("CALLSCRIBE_WORKERS", "two")
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	beam := fs.Int("beam-size", 5, "")
	dir := fs.String("data-dir", "data", "")
	lang := fs.String("language", "en", "")
	if err := fs.Parse([]string{"--data-dir", "cli"}); err != nil {
		t.Fatal(err)
	}
	if err := Fill(fs); err != nil {
		t.Fatal(err)
	}
	if *beam != 3 || *dir != "cli" || *lang != "en" {
		t.Errorf("beam %d, dir %q, language %q; want 3 (env), cli (flag), en (default)", *beam, *dir, *lang)
	}
	fs2 := flag.NewFlagSet("t", flag.ContinueOnError)
	fs2.Int("workers", 1, "")
	_ = fs2.Parse(nil)
	if err := Fill(fs2); err == nil || !strings.Contains(err.Error(), "CALLSCRIBE_WORKERS") {
		t.Errorf("malformed variable: %v", err)
	}
}
