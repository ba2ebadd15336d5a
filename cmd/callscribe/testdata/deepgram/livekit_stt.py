"""Runs LiveKit Agents' Deepgram STT plugin (livekit-plugins-deepgram)
against a Deepgram-compatible server, unchanged but for base_url.

Usage: python livekit_stt.py PLAN.json (base_url, api_key, a 16 kHz mono
linear16 file). Streams it in real time through the plugin's SpeechStream
and prints the speech events the agent would see, as JSON.
"""

import asyncio
import json
import sys

import aiohttp
from livekit import rtc
from livekit.agents import stt as agents_stt
from livekit.plugins import deepgram


async def main():
    plan = json.load(open(sys.argv[1]))
    audio = open(plan["audio"], "rb").read()
    events = []
    async with aiohttp.ClientSession() as session:
        stt = deepgram.STT(model="nova-3", api_key=plan["api_key"], http_session=session,
                           base_url=plan["base_url"] + "/v1/listen", interim_results=True)
        stream = stt.stream()

        async def feed():
            chunk = 3200  # 100 ms
            for off in range(0, len(audio), chunk):
                data = audio[off:off + chunk]
                stream.push_frame(rtc.AudioFrame(data=data, sample_rate=16000, num_channels=1, samples_per_channel=len(data) // 2))
                await asyncio.sleep(0.1)
            stream.end_input()

        feeder = asyncio.create_task(feed())
        async for ev in stream:
            alt = ev.alternatives[0] if ev.alternatives else None
            events.append({"type": ev.type.value if hasattr(ev.type, "value") else str(ev.type),
                           "text": alt.text if alt else "", "start": alt.start_time if alt else 0})
        await feeder
        await stream.aclose()
    json.dump({"events": events}, sys.stdout)


if __name__ == "__main__":
    asyncio.run(main())
