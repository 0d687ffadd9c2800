// The department screen rings while an open call is on it (the element with data-chime),
// again every few seconds until someone takes the call. Browsers refuse sound before the
// first click on a page, so the screen says so and the first click turns it on.
(function () {
  let audio = null;
  let allowed = false;
  function ring() {
    const el = document.querySelector("[data-chime]");
    const hint = document.getElementById("sound-hint");
    if (!el) return;
    audio = audio || new Audio(el.dataset.chime);
    audio.currentTime = 0;
    audio.play().then(() => { allowed = true; if (hint) hint.hidden = true; })
      .catch(() => { if (hint && !allowed) hint.hidden = false; });
    document.body.dataset.rang = String(Number(document.body.dataset.rang || 0) + 1);
  }
  document.addEventListener("click", () => { if (!allowed) ring(); }, { once: true });
  document.addEventListener("htmx:afterSwap", ring);
  document.addEventListener("DOMContentLoaded", ring);
  setInterval(ring, 5000);
})();
