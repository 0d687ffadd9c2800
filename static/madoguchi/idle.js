// The idle-session warning. The server ends a session after data-idle-timeout seconds without a
// request somebody made (madoguchi/middleware.py, IdleTimeoutMiddleware); data-idle-warning
// seconds before, this shows 「まもなく自動でログアウトします」 and a button that continues it.
// Before warning or leaving, it asks the server what is left: another tab may have kept the
// session alive.
(function () {
  "use strict";
  const body = document.body;
  const timeout = Number(body.dataset.idleTimeout) * 1000;
  const warnBefore = Math.min(Number(body.dataset.idleWarning) * 1000, timeout / 2);
  const box = document.getElementById("idle-warning");
  if (!timeout || !box) return;
  const left = box.querySelector("[data-idle-left]");
  const headers = JSON.parse(body.getAttribute("hx-headers") || "{}");
  let deadline = Date.now() + timeout;
  let timer = null;
  let ticker = null;

  function schedule() {
    clearTimeout(timer);
    const untilWarning = deadline - warnBefore - Date.now();
    timer = setTimeout(probe, Math.max(0, untilWarning));
  }

  function activity() {
    deadline = Date.now() + timeout;
    box.hidden = true;
    clearInterval(ticker);
    schedule();
  }

  function expired() {
    // The server has ended the session: loading the page again shows the login page and why.
    location.reload();
  }

  function countdown() {
    const ms = deadline - Date.now();
    if (ms <= 0) { clearInterval(ticker); probe(); return; }
    left.textContent = "（あと " + Math.ceil(ms / 1000) + " 秒）";
  }

  function probe() {
    // A background request: asking does not count as activity.
    fetch(body.dataset.keepalive, { headers: { "X-Madoguchi-Background": "1" }, credentials: "same-origin" })
      .then((r) => (r.ok && !r.redirected ? r.json() : null))
      .then((state) => {
        if (!state || state.remaining <= 0) { expired(); return; }
        deadline = Date.now() + state.remaining * 1000;
        if (state.remaining * 1000 > warnBefore) { box.hidden = true; schedule(); return; }
        box.hidden = false;
        clearInterval(ticker);
        ticker = setInterval(countdown, 1000);
        countdown();
      })
      .catch(() => { timer = setTimeout(probe, 5000); }); // the server is away: ask again
  }

  document.getElementById("idle-continue").addEventListener("click", () => {
    fetch(body.dataset.keepalive, {
      method: "POST", headers: { "X-CSRFToken": headers["X-CSRFToken"] || "" }, credentials: "same-origin",
    }).then((r) => { if (r.ok && !r.redirected) activity(); else expired(); })
      .catch(() => { /* app.js shows nothing for fetch: keep the warning up */ });
  });

  // What the server counts as activity counts here too: a request the user made that went through.
  document.addEventListener("htmx:afterRequest", (e) => {
    const config = e.detail.requestConfig;
    if (e.detail.successful && config && config.triggeringEvent) activity();
  });

  schedule();
})();
