// Command callscribe transcribes live phone calls and audio files with
// Whisper (whisper.cpp).
//
//	callscribe serve                     run the service (see README)
//	callscribe transcribe [flags] FILE   print a file's transcript
//	callscribe model convert SRC OUT     convert a CTranslate2 Whisper folder to ggml
//	callscribe model info FILE           describe a ggml model file
//
// Every flag can also be set from the environment: --model is
// CALLSCRIBE_MODEL, --workers is CALLSCRIBE_WORKERS, and so on.
package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
)

const usage = `usage: callscribe <command> [flags] [args]

commands:
  serve        run the transcription service
  transcribe   transcribe WAV files to stdout
  model        convert or inspect Whisper models (model convert, model info)
  keys         create, list and revoke API keys (keys create --scopes stream,read)
  version      print versions of callscribe and whisper.cpp

Run "callscribe <command> -h" for a command's flags.
`

// errUsage marks errors whose message is already a full explanation.
var errUsage = errors.New("usage")

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "serve":
		err = serveCmd(args[1:], stderr)
	case "transcribe":
		err = transcribeCmd(args[1:], stdout, stderr)
	case "model":
		err = modelCmd(args[1:], stdout, stderr)
	case "keys":
		err = keysCmd(args[1:], stdout, stderr)
	case "version":
		err = versionCmd(stdout)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "callscribe: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if err != nil {
		if errors.Is(err, errUsage) {
			return 2
		}
		fmt.Fprintf(stderr, "callscribe: %v\n", err)
		return 1
	}
	return 0
}

// newLogger returns a structured logger on w at level.
func newLogger(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}
