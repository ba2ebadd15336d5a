package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/callscribe/callscribe/codec"
	"github.com/callscribe/callscribe/fixtures/speech"
)

// loadCorpus reads the caller clips named in names from the speech corpus
// and the agent's lines (agent-*.wav with .txt beside them, in name order)
// from agentDir, all at 16 kHz.
func loadCorpus(speechDir string, names []string, agentDir string) (agentLines, callerClips []Clip, err error) {
	if speechDir == "" {
		if speechDir, err = speech.Dir(); err != nil {
			return nil, nil, err
		}
	}
	clips, err := speech.Load(speechDir)
	if err != nil {
		return nil, nil, err
	}
	byName := map[string]speech.Clip{}
	for _, c := range clips {
		byName[c.Name] = c
	}
	for _, n := range names {
		c, ok := byName[n]
		if !ok {
			return nil, nil, fmt.Errorf("no clip %q in %s", n, speechDir)
		}
		a, err := c.Audio.Resampled(sampleRate)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", n, err)
		}
		callerClips = append(callerClips, NewClip(n, a.Channels[0], c.Reference))
	}

	paths, err := filepath.Glob(filepath.Join(agentDir, "agent-*.wav"))
	if err != nil {
		return nil, nil, err
	}
	if len(paths) == 0 {
		return nil, nil, fmt.Errorf("no agent-*.wav in %s", agentDir)
	}
	for _, p := range paths { // Glob returns names sorted
		a, err := codec.ReadWAVFile(p)
		if err != nil {
			return nil, nil, err
		}
		if a, err = a.Resampled(sampleRate); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", p, err)
		}
		text, err := os.ReadFile(strings.TrimSuffix(p, ".wav") + ".txt")
		if err != nil {
			return nil, nil, err
		}
		name := strings.TrimSuffix(filepath.Base(p), ".wav")
		agentLines = append(agentLines, NewClip(name, a.Channels[0], strings.TrimSpace(string(text))))
	}
	return agentLines, callerClips, nil
}
