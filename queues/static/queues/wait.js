// The resident's phone: live over the WebSocket, and a poll every 15 s in case a mobile network
// or a proxy drops WebSockets. Being called shows a banner and vibrates where the phone can.
// While the live link is down the page polls every 5 s and says so: a yellow notice while the
// polls still answer (the status stays right), a red banner when nothing answers at all.
(function () {
  var root = document.getElementById("wait");
  var msg = document.getElementById("message");
  var link = document.getElementById("link");
  var down = link.querySelector("[data-when=down]");
  var slow = link.querySelector("[data-when=slow]");
  var called = false, live = true, answered = true, timer = null;
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
  function banner() {
    link.hidden = live;
    link.classList.toggle("slow", answered);
    down.hidden = answered;
    slow.hidden = !answered;
    root.dataset.link = live ? "live" : answered ? "polling" : "down";
  }
  function poll() {
    fetch(root.dataset.poll, { cache: "no-store" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (s) { answered = true; show(s); banner(); })
      .catch(function () { answered = false; banner(); });
  }
  function every(seconds) { clearInterval(timer); timer = setInterval(poll, seconds * 1000); }
  madoguchiLive(root.dataset.ws, {
    onMessage: show,
    onState: function (up) {
      live = up;
      if (up) { answered = true; every(15); } else { poll(); every(5); }
      banner();
    },
    beat: root.dataset.beat,
  });
  every(15);
})();
