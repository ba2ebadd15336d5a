"""Starts WhisperLive's server (faster-whisper backend, CPU) for the load bench.

Usage: python run_whisperlive.py --port 9090 --model /path/to/ct2/tiny.en
Run it with the peers virtualenv that install.sh makes.
"""

import argparse
import os
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=9090)
    ap.add_argument("--model", required=True, help="CTranslate2 model folder")
    ap.add_argument("--max-clients", type=int, default=32)
    args = ap.parse_args()

    # The stand-in torch that install.sh writes beside the virtualenv.
    stub = os.path.join(sys.prefix, "torch-stub")
    if os.path.isdir(stub):
        sys.path.insert(0, stub)

    from whisper_live.server import TranscriptionServer

    TranscriptionServer().run(
        args.host,
        port=args.port,
        backend="faster_whisper",
        faster_whisper_custom_model_path=args.model,
        single_model=True,
        max_clients=args.max_clients,
        max_connection_time=3600,
    )


if __name__ == "__main__":
    main()
