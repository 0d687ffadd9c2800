// A WebSocket that comes back by itself: exponential backoff with jitter, capped at 10 s,
// reset once a connection has opened. The display and the wait page both rely on it.
// The server sends a beat through its channel layer every `beat` seconds (queues/consumers.py):
// three beats of silence mean the link is dead even if nobody said so (a cable pulled, Redis
// gone behind a proxy), and the socket is dropped and reopened like any closed one.
(function () {
  function liveSocket(path, onMessage, onState, beat) {
    var delay = 500, timer = null, watchdog = null, ws = null, opened = false;
    var silence = (Number(beat) || 10) * 3000;
    function listen() {
      clearTimeout(watchdog);
      watchdog = setTimeout(lost, silence);
    }
    function lost() {
      // Forget this socket at once: a dead TCP link may take minutes to report its close.
      clearTimeout(watchdog);
      if (ws) {
        ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
        try { ws.close(); } catch (err) { /* already closed */ }
        ws = null;
      }
      if (onState) onState(false);
      clearTimeout(timer);
      timer = setTimeout(open, delay + Math.random() * delay / 2);
      delay = Math.min(delay * 2, 10000);
    }
    function open() {
      var scheme = location.protocol === "https:" ? "wss://" : "ws://";
      ws = new WebSocket(scheme + location.host + path);
      ws.onopen = function () { delay = 500; listen(); if (onState) onState(true, opened); opened = true; };
      ws.onmessage = function (e) {
        listen();
        var m;
        try { m = JSON.parse(e.data); } catch (err) { console.error(err); return; }
        if (m.kind === "beat") return;
        try { onMessage(m); } catch (err) { console.error(err); }
      };
      ws.onclose = lost;
      ws.onerror = lost;
    }
    open();
    return { close: function () { clearTimeout(timer); clearTimeout(watchdog); if (ws) { ws.onclose = null; ws.close(); } } };
  }
  window.madoguchiLive = liveSocket;
})();
