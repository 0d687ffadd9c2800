// The call display's clock, and the spoken call: the system's WAV for this number and
// counter (chime, then 「受付番号 A013 番の方、3番窓口へお越しください」), one call after another.
(function () {
  var root = document.getElementById("display");
  var clock = document.getElementById("clock");
  function tick() {
    var d = new Date();
    clock.textContent = (d.getMonth() + 1) + "月" + d.getDate() + "日 " +
      String(d.getHours()).padStart(2, "0") + ":" + String(d.getMinutes()).padStart(2, "0");
  }
  tick();
  setInterval(tick, 1000);

  var queue = [], playing = false, player = new Audio();
  function next() {
    if (playing || !queue.length) return;
    playing = true;
    player.src = queue.shift();
    document.body.dataset.spoken = player.src;
    player.play().catch(function () { playing = false; next(); });
  }
  player.addEventListener("ended", function () { playing = false; next(); });
  player.addEventListener("error", function () { playing = false; next(); });
  window.madoguchiAnnounce = function (m) {
    if (!/^[A-G][0-9]{3,4}$/.test(m.ticket) || !m.counter) return false;
    queue.push(root.dataset.announce.replace("X000", m.ticket).replace("/0.wav", "/" + m.counter + ".wav"));
    next();
    return true;
  };
})();
