// A WebSocket that comes back by itself, for every live page (the call display and the wait
// page in queues, the remote consultation room): exponential backoff with jitter, capped at
// 10 s, reset once a connection has opened.
//
//   var link = madoguchiLive(path, {
//     onMessage: function (m) {},          // each JSON message but the server's beats
//     onState: function (up, again) {},    // up: open or lost; again: not the first opening
//     beat: seconds,                       // the server's heartbeat period; 0: it sends none
//     onRefused: function (code) {},       // a staff socket's session ended (see below)
//   });
//   link.send(object)   // JSON, when open (false otherwise)
//   link.isOpen()
//   link.close()        // for good: no reconnect
//
// Where the server beats through its channel layer (queues/consumers.py), three beats of
// silence mean the link is dead even if nobody said so (a cable pulled, Redis gone behind a
// proxy), and the socket is dropped and reopened like any closed one.
//
// A staff socket (accounts/sockets.py) closes with 4401 when its session has ended (idle, logged
// out elsewhere, too long since login) and 4403 when it owes the second factor: reconnecting
// would only be refused again, so the link stops and tells onRefused, or without one reloads the
// page, which then shows the login (or code) page and why, as a click would.
(function () {
  "use strict";
  var REFUSED = [4401, 4403];
  function liveSocket(path, options) {
    var onMessage = options.onMessage, onState = options.onState;
    var beat = options.beat === undefined || options.beat === "" ? 10 : Number(options.beat);
    var silence = beat > 0 ? beat * 3000 : 0;
    var delay = 500, timer = null, watchdog = null, ws = null, opened = false, closed = false;
    function listen() {
      clearTimeout(watchdog);
      if (silence) watchdog = setTimeout(lost, silence);
    }
    function forget() {
      clearTimeout(timer);
      clearTimeout(watchdog);
      if (ws) {
        ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
        try { ws.close(); } catch (err) { /* already closed */ }
        ws = null;
      }
    }
    function lost() {
      // Forget this socket at once: a dead TCP link may take minutes to report its close.
      forget();
      if (closed) return;
      if (onState) onState(false);
      timer = setTimeout(open, delay + Math.random() * delay / 2);
      delay = Math.min(delay * 2, 10000);
    }
    function open() {
      var scheme = location.protocol === "https:" ? "wss://" : "ws://";
      ws = new WebSocket(scheme + location.host + path);
      ws.onopen = function () {
        delay = 500;
        listen();
        var again = opened;
        opened = true;
        if (onState) onState(true, again);
      };
      ws.onmessage = function (e) {
        listen();
        var m;
        try { m = JSON.parse(e.data); } catch (err) { console.error(err); return; }
        if (m.kind === "beat") return;
        try { onMessage(m); } catch (err) { console.error(err); }
      };
      ws.onclose = function (e) {
        if (REFUSED.indexOf(e.code) === -1) { lost(); return; }
        closed = true;
        forget();
        if (options.onRefused) options.onRefused(e.code);
        else location.reload();
      };
      ws.onerror = lost;
    }
    open();
    return {
      send: function (message) {
        if (!ws || ws.readyState !== WebSocket.OPEN) return false;
        ws.send(JSON.stringify(message));
        return true;
      },
      isOpen: function () { return !!ws && ws.readyState === WebSocket.OPEN; },
      close: function () { closed = true; forget(); },
    };
  }
  window.madoguchiLive = liveSocket;
})();
