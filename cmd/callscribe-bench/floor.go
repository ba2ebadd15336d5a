package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/callscribe/callscribe/codec"
)

// Floor is the model's least cost on the bench's speech: every clip's
// speech region transcribed once offline, greedy, one decoder on one
// thread, with an encoder context of exactly the clip's length and
// whisper.cpp's flash attention on. The streaming server's CPU over this
// floor says what live partials, finals with a margin and beam search,
// VAD and the protocol cost on top.
//
// Flash attention keeps the floor what it has been since the bench began:
// at exactly the clip's length, decoding without it repeats phrases on
// four of the nine clips and the set costs 3.7 times the CPU, while the
// server, which leaves it off (engine.Config.FlashAttention), uses
// contexts of 128 frames and more, where the two cost the same.
type Floor struct {
	Command         string  `json:"command"`
	SpeechSec       float64 `json:"speech_sec"`
	CPUSec          float64 `json:"cpu_sec"`
	CPUPerSpeechSec float64 `json:"cpu_per_speech_sec"`
}

// floorRepeats is how often each clip is transcribed: more audio makes
// the per-second figure steadier.
const floorRepeats = 3

// floorPad is the audio kept around each clip's speech, seconds.
const floorPad = 0.1

// measureFloor writes the clips' speech regions into dir as 8 kHz mu-law
// WAV files, the audio the server receives, and runs `bin transcribe` on
// them. The process's fixed costs (start, model load) are removed by a
// second run on the shortest clip alone: the floor is the difference in
// CPU over the difference in speech.
func measureFloor(ctx context.Context, bin string, extra []string, clips []Clip, dir string) (Floor, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Floor{}, err
	}
	type file struct {
		path string
		sec  float64
	}
	var files []file
	for _, c := range clips {
		lo := max(0, int((c.SpeechStart-floorPad)*sampleRate))
		hi := min(len(c.Samples), int((c.SpeechEnd+floorPad)*sampleRate))
		if hi <= lo {
			return Floor{}, fmt.Errorf("floor: clip %s holds no speech", c.Name)
		}
		narrow, err := codec.Resample(c.Samples[lo:hi], sampleRate, 8000)
		if err != nil {
			return Floor{}, fmt.Errorf("floor: %s: %w", c.Name, err)
		}
		var buf bytes.Buffer
		if err := codec.WriteWAV(&buf, &codec.Audio{SampleRate: 8000, Channels: [][]float32{narrow}}, codec.FormatMulaw); err != nil {
			return Floor{}, fmt.Errorf("floor: %s: %w", c.Name, err)
		}
		p := filepath.Join(dir, c.Name+".wav")
		if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
			return Floor{}, err
		}
		files = append(files, file{p, float64(hi-lo) / sampleRate})
	}
	if len(files) < 2 {
		return Floor{}, fmt.Errorf("floor: want at least two clips, have %d", len(files))
	}
	slices.SortFunc(files, func(a, b file) int { return int(1000 * (a.sec - b.sec)) })

	args := append([]string{"transcribe", "--beam-size", "1", "--audio-ctx", "exact", "--flash-attention", "--workers", "1", "--threads", "1"}, extra...)
	var all []string
	var allSec float64
	for range floorRepeats {
		for _, f := range files {
			all = append(all, f.path)
			allSec += f.sec
		}
	}
	cpuAll, err := runForCPU(ctx, bin, append(slices.Clone(args), all...))
	if err != nil {
		return Floor{}, err
	}
	cpuOne, err := runForCPU(ctx, bin, append(slices.Clone(args), files[0].path))
	if err != nil {
		return Floor{}, err
	}
	fl := Floor{
		Command:   strings.Join(append([]string{filepath.Base(bin)}, args...), " ") + " FILES",
		SpeechSec: allSec - files[0].sec,
		CPUSec:    cpuAll - cpuOne,
	}
	if fl.CPUSec <= 0 {
		return fl, fmt.Errorf("floor: %d clips cost %.2f CPU-s, one clip %.2f: the difference is no measure", len(all), cpuAll, cpuOne)
	}
	fl.CPUPerSpeechSec = fl.CPUSec / fl.SpeechSec
	return fl, nil
}

// runForCPU runs a command to its end and returns its user plus system
// CPU seconds.
func runForCPU(ctx context.Context, bin string, args []string) (float64, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return 0, fmt.Errorf("floor: %s: %w: %s", bin, err, strings.TrimSpace(stderr.String()))
	}
	st := cmd.ProcessState
	return (st.UserTime() + st.SystemTime()).Seconds(), nil
}
