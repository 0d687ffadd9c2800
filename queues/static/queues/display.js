// The call display: a call or recall rings the chime and puts the number in its counter's
// column and at the head of the recent list. Everything arrives over the WebSocket.
(function () {
  var root = document.getElementById("display");
  var chime = document.getElementById("chime");
  var recent = document.getElementById("recent");
  var status = document.getElementById("link");
  function column(counter) { return root.querySelector('[data-counter="' + counter + '"] .now'); }
  function note(m, text, cls) {
    var li = document.createElement("li");
    li.textContent = text;
    li.dataset.ticket = m.ticket;
    if (cls) li.className = cls;
    recent.insertBefore(li, recent.firstChild);
    while (recent.children.length > 8) recent.removeChild(recent.lastChild);
    return li;
  }
  function onMessage(m) {
    if (m.kind === "called" || m.kind === "recalled") {
      var cell = column(m.counter);
      if (cell) {
        cell.textContent = m.ticket;
        cell.classList.remove("flash"); void cell.offsetWidth; cell.classList.add("flash");
      }
      note(m, m.ticket + " → " + m.counter + "番");
      // board.js speaks the call (chime first); the chime alone if it is not there.
      if (!window.madoguchiAnnounce || !window.madoguchiAnnounce(m)) {
        if (chime) { chime.currentTime = 0; chime.play().catch(function () {}); }
      }
      document.body.dataset.last = m.ticket;
    } else if (m.kind === "done" || m.kind === "held" || m.kind === "transferred" || m.kind === "closed" || m.kind === "noshow") {
      root.querySelectorAll(".now").forEach(function (c) { if (c.textContent === m.ticket) c.textContent = "—"; });
      if (m.kind === "transferred") {
        var where = m.counter ? m.counter + "番" : m.department;
        var small = document.createElement("small");
        small.textContent = "（" + recent.dataset.transferred + "）";
        note(m, m.ticket + " → " + where, "transferred").appendChild(small);
      }
    }
  }
  madoguchiLive(root.dataset.ws, {
    onMessage: onMessage,
    onState: function (up, again) {
      // Calls made while the link was down are not replayed: the page reloads the current state.
      if (up && again) { location.reload(); return; }
      status.hidden = up;
      document.body.dataset.connected = up ? "1" : "0";
    },
    beat: root.dataset.beat,
  });
})();
