// The page: two views (Talk, Calls) as tabs, the key form when the server
// wants one, and ?autostart=1 to start talking without a click.

import { Api } from "./api.js";
import { Calls } from "./calls.js";
import { Talk } from "./talk.js";

function meta(name) {
  const m = document.querySelector(`meta[name="${name}"]`);
  return m ? m.content : "";
}

// KeyForm shows the key panel until the user submits a key.
class KeyForm {
  constructor() {
    this.panel = document.getElementById("key-panel");
    this.input = document.getElementById("key-input");
    this.error = document.getElementById("key-error");
    this.waiting = null;
    document.getElementById("key-form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      const key = this.input.value;
      // The key leaves the page's fields as soon as it is read.
      this.input.value = "";
      if (this.waiting) {
        const resolve = this.waiting;
        this.waiting = null;
        resolve(key);
      }
    });
  }

  ask(message) {
    this.error.textContent = message || "";
    this.panel.hidden = false;
    this.input.focus();
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  done() {
    this.panel.hidden = true;
    this.error.textContent = "";
  }
}

const TABS = ["talk", "calls"];

function main() {
  const keyForm = new KeyForm();
  const api = new Api({
    keyed: meta("callscribe-auth") === "keys",
    tokenTTL: Number(meta("callscribe-token-ttl")) || 0,
    askKey: (message) => keyForm.ask(message),
    keyAccepted: () => keyForm.done(),
  });
  const calls = new Calls({ api });
  const talk = new Talk({
    api,
    onCall: (id) => {
      select("calls");
      calls.open(id);
    },
  });

  function select(name) {
    for (const t of TABS) {
      const on = t === name;
      const tab = document.getElementById(`tab-${t}`);
      tab.setAttribute("aria-selected", String(on));
      tab.tabIndex = on ? 0 : -1;
      document.getElementById(`view-${t}`).hidden = !on;
    }
    if (name === "calls") calls.show();
    else calls.hide();
    if (location.hash !== `#${name}`) history.replaceState(null, "", `${location.search}#${name}`);
  }

  for (const t of TABS) {
    const tab = document.getElementById(`tab-${t}`);
    tab.addEventListener("click", () => select(t));
    // Arrow keys move between tabs, as in any tab list.
    tab.addEventListener("keydown", (ev) => {
      if (ev.key !== "ArrowLeft" && ev.key !== "ArrowRight") return;
      const next = TABS[(TABS.indexOf(t) + (ev.key === "ArrowRight" ? 1 : TABS.length - 1)) % TABS.length];
      select(next);
      document.getElementById(`tab-${next}`).focus();
    });
  }

  // The back button, or a link to #calls, switches views too.
  window.addEventListener("hashchange", () => {
    const t = TABS.find((t) => location.hash === `#${t}`);
    if (t) select(t);
  });

  const params = new URLSearchParams(location.search);
  const autostart = ["1", "true", "yes"].includes(params.get("autostart") || "");
  const first = autostart ? "talk" : TABS.find((t) => location.hash === `#${t}`) || "talk";
  select(first);
  if (autostart) talk.start();
  else if (api.keyed && !api.stored()) api.token().catch(() => {});
}

main();
