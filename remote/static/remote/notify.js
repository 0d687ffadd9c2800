// A department's staff hear of a remote request from any page: the header's count follows
// the lobby (a light poll of remote:waiting), a chime sounds and, when the clerk allowed it
// with a click on 「通知を受け取る」, a desktop notification appears. Each request rings once,
// also across pages (sessionStorage keeps the newest one rung).
(() => {
  "use strict";
  const box = document.getElementById("remote-header");
  if (!box) return;
  const count = document.getElementById("remote-count");
  const link = document.getElementById("remote-lobby-link");
  const allow = document.getElementById("remote-notify");
  const POLL_MS = 8000;
  const KEY = "madoguchi.remote.rung";
  let audio = null;

  function chime() {
    try {
      const Ctx = window.AudioContext || window.webkitAudioContext;
      if (!Ctx) return;
      audio = audio || new Ctx();
      const t = audio.currentTime;
      [880, 660].forEach((hz, i) => {  // two falling tones, like the counter's call chime
        const osc = audio.createOscillator();
        const gain = audio.createGain();
        osc.frequency.value = hz;
        gain.gain.setValueAtTime(0.0001, t + i * 0.35);
        gain.gain.exponentialRampToValueAtTime(0.3, t + i * 0.35 + 0.03);
        gain.gain.exponentialRampToValueAtTime(0.0001, t + i * 0.35 + 0.6);
        osc.connect(gain).connect(audio.destination);
        osc.start(t + i * 0.35);
        osc.stop(t + i * 0.35 + 0.65);
      });
    } catch (err) { console.error("remote chime", err); }
  }

  function notify(n) {
    if (!("Notification" in window) || Notification.permission !== "granted") return;
    const note = new Notification(box.dataset.title, {
      body: box.dataset.body + "（" + n + "）",
      tag: "madoguchi-remote", // one notification on the desktop, whatever the open tabs
    });
    note.onclick = () => { window.focus(); location.href = link.href; };
  }

  function show(n, latest) {
    count.textContent = String(n);
    count.hidden = n === 0;
    const rung = Number(sessionStorage.getItem(KEY) || 0);
    if (n > 0 && latest > rung) {
      sessionStorage.setItem(KEY, String(latest));
      chime();
      notify(n);
    }
    window.madoguchiRemoteWaiting = { count: n, latest }; // read by the browser test
  }

  async function poll() {
    try {
      const r = await fetch(box.dataset.waitingUrl, {
        credentials: "same-origin",
        // A poll nobody clicked keeps no idle session alive (madoguchi/middleware.py).
        headers: { "X-Madoguchi-Background": "1", Accept: "application/json" },
      });
      if (r.ok && (r.headers.get("Content-Type") || "").includes("json")) {
        const data = await r.json();
        show(data.count, data.latest);
      }
    } catch (_ignored) { /* offline: the next poll tries again; app.js reports outages */ }
    setTimeout(poll, POLL_MS);
  }

  // Browsers start sound and ask for notifications only after a click.
  document.addEventListener("click", () => { if (audio && audio.state === "suspended") audio.resume(); });
  if ("Notification" in window && Notification.permission === "default") {
    allow.hidden = false;
    allow.addEventListener("click", async () => {
      await Notification.requestPermission();
      allow.hidden = Notification.permission !== "default"; // decided: nothing more to ask
    });
  }
  show(Number(count.textContent) || 0, Number(box.dataset.latest) || 0);
  setTimeout(poll, POLL_MS);
})();
