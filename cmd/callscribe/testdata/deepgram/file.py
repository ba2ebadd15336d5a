"""Transcribes a file on a Deepgram-compatible server with Deepgram's
Python SDK (listen.v1.media.transcribe_file), then asks for a URL, which
the server refuses by default.

Usage: python file.py PLAN.json. Prints the response as the SDK parsed it
(its class, whether the class validates it, its fields) and the URL
request's error.
"""

import json
import sys

from live import client_for, describe


def main():
    plan = json.load(open(sys.argv[1]))
    client = client_for(plan)
    audio = open(plan["audio"], "rb").read()
    resp = client.listen.v1.media.transcribe_file(request=audio, **plan["params"])
    out = {"response": describe(resp)}
    try:
        client.listen.v1.media.transcribe_url(url="http://127.0.0.1:9/audio.wav", model="nova-3")
        out["url_error"] = None
    except Exception as e:  # deepgram.core.api_error.ApiError
        out["url_error"] = {"status": getattr(e, "status_code", None), "body": getattr(e, "body", None)}
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
