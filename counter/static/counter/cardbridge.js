// 「カードを読む」 through the counter PC's card-reader bridge (`madoguchi card-bridge`,
// lib/cardbridge.py): the PIN goes from this page to the bridge on 127.0.0.1 and from there to
// the card, never to the server; what the card said (its four facts, or why it was not read)
// is then posted to the server, which audits it and fills the row as for a read of its own.
(function () {
  "use strict";

  const form = document.querySelector("form#card[data-bridge]");
  if (!form) return;
  const result = form.querySelector("#card-result");
  const field = form.querySelector("#card-pin");
  // ４３２１ typed with the IME on is 4321, as the server-side read takes it.
  const ascii = (s) => s.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));

  async function askBridge(pin) {
    try {
      const r = await fetch(form.dataset.bridge + "/read", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ pin: pin }),
        cache: "no-store",
        credentials: "omit",
      });
      return r.ok ? await r.json() : { outcome: "error" };
    } catch (err) {
      // Not running on this PC, or refusing this page (another --origin): no answer to read.
      return { outcome: "no_bridge" };
    }
  }

  let busy = false;
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (busy) return; // one read at a time: a second Enter must not send the PIN again
    busy = true;
    const pin = ascii(field.value.trim());
    field.value = ""; // the PIN stays on no screen, whatever happens next
    result.textContent = form.dataset.pending;
    const answer = await askBridge(pin);
    const values = { via: "bridge", outcome: answer.outcome || "error" };
    if (answer.tries_left !== undefined) values.tries_left = answer.tries_left;
    if (answer.card) Object.assign(values, answer.card);
    window.htmx
      .ajax("POST", form.dataset.post, { source: form, target: result, swap: "innerHTML", values: values })
      .finally(() => { busy = false; });
  });
})();
