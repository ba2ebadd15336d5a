"""Streams audio to a Deepgram-compatible server with Deepgram's Python SDK.

Usage: python live.py PLAN.json. The plan names the server's base URL, the
connect() parameters, an audio file (raw linear16 of sample_rate and
channels, or a container file sent at bytes_per_second) and when to send
Finalize and KeepAlive. Every message the SDK hands the app is checked against the SDK's
own types: the class it parsed into, and whether that class validates the
message's fields (the SDK falls back to an unvalidated object otherwise).
Prints one JSON document: the messages, the close code and reason.
"""

import json
import sys
import threading
import time

from deepgram import DeepgramClient
from deepgram.core.events import EventType
from deepgram.environment import DeepgramClientEnvironment


def client_for(plan):
    base = plan["base_url"]
    ws = "ws" + base[len("http"):]
    env = DeepgramClientEnvironment(base=base, production=ws, agent=ws, agent_rest=base)
    return DeepgramClient(api_key=plan.get("api_key") or "no-key", environment=env)


def describe(msg):
    """The message as the app sees it: its SDK class, validated or not."""
    if msg is None or isinstance(msg, (bytes, dict)):
        return {"class": type(msg).__name__, "valid": False, "data": None}
    try:
        type(msg).model_validate(msg.model_dump(by_alias=True))
        valid, err = True, ""
    except Exception as e:  # pydantic.ValidationError
        valid, err = False, str(e)
    return {"class": type(msg).__name__, "valid": valid, "error": err, "data": msg.model_dump(mode="json", by_alias=True)}


def main():
    plan = json.load(open(sys.argv[1]))
    audio = open(plan["audio"], "rb").read()
    if "bytes_per_second" in plan:  # a container: cut wherever 100 ms of bytes ends
        chunk = plan["bytes_per_second"] // 10
    else:
        chunk = plan["sample_rate"] * plan["channels"] * 2 // 10  # 100 ms of linear16
    finalize_at = {round(t * 10) for t in plan.get("finalize_at", [])}
    keepalive_at = {round(t * 10) for t in plan.get("keepalive_at", [])}
    messages, errors = [], []
    with client_for(plan).listen.v1.connect(**plan["params"]) as conn:
        conn.on(EventType.MESSAGE, lambda m: messages.append(describe(m)))
        conn.on(EventType.ERROR, lambda e: errors.append(repr(e)))
        reader = threading.Thread(target=conn.start_listening, daemon=True)
        reader.start()
        start = time.monotonic()
        for i, off in enumerate(range(0, len(audio), chunk)):
            conn.send_media(audio[off:off + chunk])
            if i + 1 in finalize_at:
                conn.send_finalize()
            if i + 1 in keepalive_at:
                conn.send_keep_alive()
            time.sleep(max(0, start + (i + 1) * 0.1 - time.monotonic()))
        conn.send_close_stream()
        reader.join(timeout=60)
        ws = conn._websocket
        close = {"code": ws.close_code, "reason": ws.close_reason}
    json.dump({"messages": messages, "errors": errors, "close": close}, sys.stdout)


if __name__ == "__main__":
    main()
