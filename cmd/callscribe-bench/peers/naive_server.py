"""A naive streaming baseline for the load bench.

It cuts each stream into fixed 3 s windows that overlap by 0.5 s, with no
voice activity detection, and transcribes every window with faster-whisper
as soon as it is complete. Words are kept from the middle of each overlap
on, so that a word is not reported twice. It speaks WhisperLive's
protocol: a JSON options message, SERVER_READY, binary float32 16 kHz
frames, JSON "segments" back, END_OF_AUDIO to flush the last window.

Usage: python naive_server.py --port 9091 --model /path/to/ct2/tiny.en
"""

import argparse
import asyncio
import concurrent.futures
import json
import logging

import numpy as np
import websockets
from faster_whisper import WhisperModel

RATE = 16000


class Stream:
    """One client's audio, cut into overlapping windows."""

    def __init__(self, window, overlap):
        self.window = int(window * RATE)
        self.step = int((window - overlap) * RATE)
        self.half_overlap = overlap / 2
        self.audio = np.zeros(0, dtype=np.float32)
        self.next_start = 0  # sample where the next window starts
        self.kept_until = 0.0  # seconds: words before this were reported

    def add(self, samples):
        self.audio = np.concatenate([self.audio, samples])

    def windows(self, flush=False):
        """Yields (start sample, samples) of every complete window."""
        while len(self.audio) - self.next_start >= self.window or (
            flush and len(self.audio) > self.next_start
        ):
            s = self.next_start
            yield s, self.audio[s : s + self.window]
            self.next_start += self.step
            if flush and s + self.window >= len(self.audio):
                break


def transcribe(model, samples, offset, kept_until, beam):
    """Returns the window's words at or after kept_until as one segment."""
    segments, _ = model.transcribe(
        samples,
        language="en",
        beam_size=beam,
        vad_filter=False,
        word_timestamps=True,
        condition_on_previous_text=False,
    )
    words = []
    for seg in segments:
        for w in seg.words or []:
            if offset + w.start >= kept_until:
                words.append(w.word)
    return "".join(words).strip()


async def serve_client(ws, model, pool, args):
    log = logging.getLogger("naive")
    options = json.loads(await ws.recv())
    uid = options.get("uid", "")
    await ws.send(json.dumps({"uid": uid, "message": "SERVER_READY", "backend": "naive"}))
    st = Stream(args.window, args.overlap)
    loop = asyncio.get_running_loop()

    async def run_windows(flush):
        for start, samples in list(st.windows(flush)):
            offset = start / RATE
            end = offset + len(samples) / RATE
            text = await loop.run_in_executor(
                pool, transcribe, model, samples, offset, st.kept_until, args.beam
            )
            seg_start = max(offset, st.kept_until)
            st.kept_until = end - st.half_overlap
            if text:
                seg = {"start": f"{seg_start:.3f}", "end": f"{end:.3f}", "text": text, "completed": True}
                await ws.send(json.dumps({"uid": uid, "segments": [seg]}))

    try:
        async for msg in ws:
            if isinstance(msg, bytes) and msg != b"END_OF_AUDIO":
                st.add(np.frombuffer(msg, dtype=np.float32))
                await run_windows(False)
            else:
                await run_windows(True)
                await ws.send(json.dumps({"uid": uid, "message": "DISCONNECT"}))
                break
    except websockets.ConnectionClosed:
        log.info("client %s went away", uid)


async def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=9091)
    ap.add_argument("--model", required=True, help="CTranslate2 model folder")
    ap.add_argument("--window", type=float, default=3.0)
    ap.add_argument("--overlap", type=float, default=0.5)
    ap.add_argument("--beam", type=int, default=5)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--compute-type", default="int8")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO)
    model = WhisperModel(
        args.model, device="cpu", compute_type=args.compute_type, cpu_threads=1, num_workers=args.workers
    )
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=args.workers)
    async with websockets.serve(
        lambda ws: serve_client(ws, model, pool, args), args.host, args.port, max_size=None
    ):
        await asyncio.Future()


if __name__ == "__main__":
    asyncio.run(main())
