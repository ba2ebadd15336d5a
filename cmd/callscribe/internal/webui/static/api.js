// Requests to the callscribe API, with the credential the server wants.
//
// On the loopback demo (meta callscribe-auth "open") requests go as they
// are. On a server with keys the page asks once for a key, trades it at
// POST /v1/tokens for a short-lived token and forgets the key: only the
// token is kept, in sessionStorage (this tab, until it closes). Tokens
// cannot mint tokens, so when one is about to expire, or the server
// refuses it (401: expired, key revoked), the page asks for the key again.

const STORE = "callscribe.token";
// The key may lack one of the scopes: a read-only key still lists calls.
const SCOPE_SETS = [["stream", "read"], ["read"], ["stream"]];
// A token this close to its expiry is traded again before use.
const MARGIN_MS = 60_000;

// ApiError is a refusal, with the server's reason when it gave one.
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// errorOf reads a refusal's {"error": ...} body.
export async function errorOf(resp) {
  let reason = "";
  try {
    const body = await resp.text();
    try {
      reason = JSON.parse(body).error || body;
    } catch {
      reason = body;
    }
  } catch {
    // the body could not be read; the status says enough
  }
  reason = String(reason).trim().slice(0, 300);
  return new ApiError(resp.status, `${resp.status} ${resp.statusText || ""}${reason ? ": " + reason : ""}`.trim());
}

export class Api {
  // askKey(message) shows the key form (with message, the last failure)
  // and resolves with what the user typed.
  constructor({ keyed, tokenTTL, askKey, keyAccepted }) {
    this.keyed = keyed;
    this.tokenTTL = tokenTTL;
    this.askKey = askKey;
    this.keyAccepted = keyAccepted;
    this.pending = null;
  }

  // token returns a token with more than a minute to live ("" when the
  // server needs none), asking for the key if there is none.
  async token() {
    if (!this.keyed) return "";
    const t = this.stored();
    if (t && t.expires - Date.now() > MARGIN_MS) return t.token;
    // Several requests may want a token at once: one key prompt for all.
    if (!this.pending) {
      this.pending = this.exchange().finally(() => {
        this.pending = null;
      });
    }
    return this.pending;
  }

  stored() {
    try {
      const t = JSON.parse(sessionStorage.getItem(STORE) || "null");
      return t && typeof t.token === "string" && typeof t.expires === "number" ? t : null;
    } catch {
      return null;
    }
  }

  forget() {
    sessionStorage.removeItem(STORE);
  }

  async exchange() {
    let message = "";
    for (;;) {
      const key = (await this.askKey(message)).trim();
      if (!key) {
        message = "Enter a key.";
        continue;
      }
      try {
        const t = await this.trade(key);
        sessionStorage.setItem(STORE, JSON.stringify(t));
        this.keyAccepted();
        return t.token;
      } catch (err) {
        message = err.message;
      }
    }
  }

  // trade asks for a token with the widest scopes the key allows and the
  // configured lifetime, or the server's default lifetime if it allows
  // less.
  async trade(key) {
    for (const scopes of SCOPE_SETS) {
      for (const ttl of [this.tokenTTL, 0]) {
        const body = { scopes };
        if (ttl) body.ttl_seconds = ttl;
        const resp = await fetch("/v1/tokens", {
          method: "POST",
          headers: { Authorization: "Bearer " + key, "Content-Type": "application/json" },
          body: JSON.stringify(body),
        });
        if (resp.status === 201) {
          const t = await resp.json();
          return { token: t.token, expires: Date.parse(t.expires_at), scopes };
        }
        const err = await errorOf(resp);
        if (resp.status === 400 && ttl) continue;
        if (resp.status === 403) break;
        throw err;
      }
    }
    throw new ApiError(403, "This key has neither the stream nor the read scope.");
  }

  // request is fetch with the token. A 401 means the token died (expired,
  // its key revoked) or the server has keys after all: the page asks for
  // a key and tries once more.
  async request(url, init = {}) {
    for (let attempt = 0; ; attempt++) {
      const headers = new Headers(init.headers);
      const token = await this.token();
      if (token) headers.set("Authorization", "Bearer " + token);
      const resp = await fetch(url, { ...init, headers });
      if (resp.status !== 401 || attempt > 0) return resp;
      this.keyed = true;
      this.forget();
    }
  }

  // eventsURL is the URL of a call's Server-Sent Events from seq on. An
  // EventSource cannot send headers: the token goes in the query, which
  // the server takes out before anything logs the URL.
  async eventsURL(callID, seq) {
    const u = new URL(`/v1/calls/${encodeURIComponent(callID)}/events`, location.href);
    u.searchParams.set("from_seq", String(seq));
    const token = await this.token();
    if (token) u.searchParams.set("token", token);
    return u.href;
  }
}
