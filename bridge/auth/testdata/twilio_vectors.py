#!/usr/bin/env python3
"""Writes twilio_vectors.json: X-Twilio-Signature values computed here, with
Python's hmac and hashlib, independently of the Go code they test.

Twilio's signature is base64(HMAC-SHA1(auth_token, url + sorted POST
params as name+value)); a WebSocket upgrade has no POST params, so the
signed string is the URL alone. The first vector is the example of Twilio's
security documentation (with POST params), which checks this script's
reading of the algorithm.

Run: python3 twilio_vectors.py > twilio_vectors.json
"""
import base64
import hashlib
import hmac
import json


def sign(token, url, params=None):
    s = url + "".join(k + v for k, v in sorted((params or {}).items()))
    return base64.b64encode(hmac.new(token.encode(), s.encode(), hashlib.sha1).digest()).decode()


doc = sign("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", {
    "CallSid": "CA1234567890ABCDE", "Caller": "+12349013030", "Digits": "1234",
    "From": "+12349013030", "To": "+18005551212"})
assert doc == "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", doc

PRIMARY = "9f2b6c1d8e7a4b3c2d1e0f9a8b7c6d5e"
SECONDARY = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
vectors = [
    ("plain", PRIMARY, "wss://callscribe.example.com/v1/twilio"),
    ("with-port", PRIMARY, "wss://callscribe.example.com:443/v1/twilio"),
    ("odd-port", PRIMARY, "wss://callscribe.example.com:8443/v1/twilio"),
    ("prefix", PRIMARY, "wss://example.org/callscribe/v1/twilio"),
    ("secondary", SECONDARY, "wss://callscribe.example.com/v1/twilio"),
    ("ws-scheme", PRIMARY, "ws://callscribe.example.com/v1/twilio"),
    ("https-scheme", PRIMARY, "https://callscribe.example.com/v1/twilio"),
    ("query", PRIMARY, "wss://callscribe.example.com/v1/twilio?a=1&b=two"),
]
print(json.dumps({
    "primary": PRIMARY,
    "secondary": SECONDARY,
    "doc_example": doc,
    "vectors": [{"name": n, "token": t, "url": u, "signature": sign(t, u)} for n, t, u in vectors],
}, indent=2))
