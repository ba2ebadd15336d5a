"""Transcribe the speech corpus with faster-whisper for the parity check.

Usage: fw_parity.py CT2_DIR SPEECH_DIR OUT.json [--compute-type float32]

Runs the same CTranslate2 weights that callscribe converts to ggml, greedy,
no VAD, one CPU thread, and writes {"clips": {name: text}, "cpu_seconds": ..,
"audio_seconds": ..} for the Go parity test to score with the project's own
WER code (so both engines are normalised the same way).
"""

import argparse
import glob
import json
import os
import time
import wave

import numpy as np
from faster_whisper import WhisperModel


def read_wav(path):
    with wave.open(path) as w:
        if w.getsampwidth() != 2 or w.getnchannels() != 1 or w.getframerate() != 16000:
            raise SystemExit(f"{path}: expected 16 kHz mono 16-bit PCM")
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    return pcm.astype(np.float32) / 32768.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ct2_dir")
    ap.add_argument("speech_dir")
    ap.add_argument("out")
    ap.add_argument("--compute-type", default="float32")
    args = ap.parse_args()

    model = WhisperModel(args.ct2_dir, device="cpu", compute_type=args.compute_type, cpu_threads=1)
    clips, cpu, audio_s = {}, 0.0, 0.0
    for path in sorted(glob.glob(os.path.join(args.speech_dir, "*.wav"))):
        name = os.path.basename(path)[:-4]
        if not os.path.exists(os.path.join(args.speech_dir, name + ".txt")):
            continue
        audio = read_wav(path)
        start = time.process_time()
        segments, _ = model.transcribe(audio, language="en", beam_size=1, vad_filter=False)
        clips[name] = "".join(s.text for s in segments).strip()
        cpu += time.process_time() - start
        audio_s += len(audio) / 16000.0
    with open(args.out, "w") as f:
        json.dump({"engine": "faster-whisper", "compute_type": args.compute_type,
                   "clips": clips, "cpu_seconds": cpu, "audio_seconds": audio_s}, f, indent=1)


if __name__ == "__main__":
    main()
