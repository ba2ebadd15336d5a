#!/usr/bin/env python3
"""Reference speech probabilities from onnxruntime for the Go parity tests.

Written for callscribe; needs only numpy and onnxruntime, in a throwaway
virtualenv (see testdata/README.md for the exact commands).

Two modes:

  clip   build parity_clip.wav (a short real-speech clip followed by digital
         silence, faint noise and loud noise, all deterministic) and write its
         per-window probabilities to parity_probs.txt.
  dir    for every 16 kHz PCM16 WAV in a folder, write NAME.probs beside it in
         an output folder; TestParityDir in the Go package compares against
         those when CALLSCRIBE_VAD_PARITY_DIR names that output folder.

The windowing mirrors what the Go Detector does and what Silero's own Python
wrapper does at 16 kHz: 512 new samples per call, prefixed by the last 64
samples of the previous call (zeros before the first), LSTM state carried over,
and a trailing partial window dropped.
"""
import argparse
import hashlib
import os
import sys
import wave

import numpy as np
import onnxruntime

WINDOW = 512
CONTEXT = 64


def read_wav(path):
    with wave.open(path, "rb") as w:
        if w.getframerate() != 16000 or w.getnchannels() != 1 or w.getsampwidth() != 2:
            sys.exit(f"{path}: want 16 kHz mono PCM16")
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    return pcm.astype(np.float32) / 32768.0


def write_wav(path, samples):
    pcm = np.clip(np.round(samples * 32768.0), -32768, 32767).astype("<i2")
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(pcm.tobytes())


class Reference:
    """Runs one Silero ONNX file window by window, whatever its I/O names."""

    def __init__(self, model_path):
        opts = onnxruntime.SessionOptions()
        opts.inter_op_num_threads = 1
        opts.intra_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(
            model_path, sess_options=opts, providers=["CPUExecutionProvider"])
        self.names = [i.name for i in self.session.get_inputs()]

    def probabilities(self, samples):
        context = np.zeros(CONTEXT, dtype=np.float32)
        state = np.zeros((2, 1, 128), dtype=np.float32)
        out = []
        for start in range(0, len(samples) - WINDOW + 1, WINDOW):
            x = np.concatenate([context, samples[start:start + WINDOW]])[None, :]
            if "state" in self.names:  # silero-vad wheel models
                prob, state = self.session.run(None, {
                    "input": x, "state": state, "sr": np.array(16000, dtype=np.int64)})
            else:  # faster-whisper's model: separate h and c, batch of windows
                prob, h, c = self.session.run(None, {
                    "input": x, "h": state[0:1], "c": state[1:2]})
                state = np.concatenate([h, c])
            out.append(float(np.asarray(prob).ravel()[0]))
            context = x[0, -CONTEXT:]
        return out


def write_probs(path, probs, header):
    with open(path, "w") as f:
        for line in header:
            f.write(f"# {line}\n")
        for p in probs:
            f.write(f"{p:.8f}\n")


def parity_clip(speech_path):
    """Real speech, then 0.5 s digital silence, 0.75 s faint noise, 0.5 s loud noise."""
    rng = np.random.default_rng(20240607)
    speech = read_wav(speech_path)
    silence = np.zeros(8000, dtype=np.float32)
    faint = (rng.standard_normal(12000) * 10 ** (-55 / 20)).astype(np.float32)
    loud = (rng.standard_normal(8000) * 10 ** (-20 / 20)).astype(np.float32)
    return np.concatenate([speech, silence, faint, loud])


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["clip", "dir"])
    ap.add_argument("--model", required=True)
    ap.add_argument("--speech", help="clip mode: the real speech WAV to start with")
    ap.add_argument("--in", dest="indir", help="dir mode: folder of WAVs")
    ap.add_argument("--out", required=True, help="clip mode: testdata folder; dir mode: output folder")
    args = ap.parse_args()
    ref = Reference(args.model)
    header = [f"model sha256 {sha256(args.model)}", f"onnxruntime {onnxruntime.__version__}",
              f"window {WINDOW} context {CONTEXT}, one probability per line"]
    if args.mode == "clip":
        clip = parity_clip(args.speech)
        wav_path = os.path.join(args.out, "parity_clip.wav")
        write_wav(wav_path, clip)
        # Score what was written (PCM16-rounded), exactly what Go will read.
        probs = ref.probabilities(read_wav(wav_path))
        write_probs(os.path.join(args.out, "parity_probs.txt"), probs, header)
        print(f"{len(probs)} windows, max {max(probs):.3f}")
        return
    os.makedirs(args.out, exist_ok=True)
    for name in sorted(os.listdir(args.indir)):
        if name.endswith(".wav"):
            probs = ref.probabilities(read_wav(os.path.join(args.indir, name)))
            write_probs(os.path.join(args.out, name[:-4] + ".probs"), probs, header)
            print(name, len(probs))


if __name__ == "__main__":
    main()
