// The resident's phone: live over the WebSocket, and a poll every 15 s in case a mobile network
// or a proxy drops WebSockets. Being called shows a banner and vibrates where the phone can.
(function () {
  var root = document.getElementById("wait");
  var msg = document.getElementById("message");
  var called = false;
  function show(s) {
    if (!s || !s.state) return;
    msg.textContent = s.message;
    root.dataset.state = s.state;
    if (s.state === "called" && !called) {
      called = true;
      if (navigator.vibrate) navigator.vibrate([300, 100, 300]);
    }
    if (s.state !== "called") called = false;
  }
  function poll() {
    fetch(root.dataset.poll, { cache: "no-store" }).then(function (r) { return r.ok ? r.json() : null; })
      .then(show).catch(function () {});
  }
  madoguchiLive(root.dataset.ws, show);
  setInterval(poll, 15000);
})();
