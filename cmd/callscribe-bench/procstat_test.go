package main

import (
	"os"
	"testing"
)

func TestParseStatCPU(t *testing.T) {
	// A command name with a space and a parenthesis in it.
	line := "4242 (call (scribe) R 1 4242 4242 0 -1 4194560 2500 0 0 0 1234 566 0 0 20 0 9 0 100 3000000 70000\n"
	got, err := parseStatCPU([]byte(line))
	if err != nil || got != 18 {
		t.Errorf("got %v, %v; want 18 s", got, err)
	}
	if _, err := parseStatCPU([]byte("12 (x) R 1 2")); err == nil {
		t.Error("a short line parsed")
	}
}

func TestParseStatusMemory(t *testing.T) {
	status := "Name:\tcallscribe\nVmPeak:\t 3173844 kB\nVmHWM:\t  307200 kB\nVmRSS:\t  204800 kB\nThreads:\t9\n"
	rss, peak, err := parseStatusMemory([]byte(status))
	if err != nil || rss != 200 || peak != 300 {
		t.Errorf("rss %v peak %v err %v", rss, peak, err)
	}
	if _, _, err := parseStatusMemory([]byte("Name:\tx\n")); err == nil {
		t.Error("a status without memory parsed")
	}
}

func TestOwnProcess(t *testing.T) {
	if _, err := cpuSeconds(os.Getpid()); err != nil {
		t.Skip("no /proc:", err)
	}
	if _, peak, err := memory(os.Getpid()); err != nil || peak <= 0 {
		t.Errorf("own memory: %v %v", peak, err)
	}
}
