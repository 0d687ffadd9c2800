// A WebSocket that comes back by itself: exponential backoff with jitter, capped at 30 s,
// reset once a connection has held. The display and the wait page both rely on it.
(function () {
  function liveSocket(path, onMessage, onState) {
    var delay = 500, timer = null, ws = null, opened = false;
    function open() {
      var scheme = location.protocol === "https:" ? "wss://" : "ws://";
      ws = new WebSocket(scheme + location.host + path);
      ws.onopen = function () { delay = 500; onState && onState(true, opened); opened = true; };
      ws.onmessage = function (e) { try { onMessage(JSON.parse(e.data)); } catch (err) { console.error(err); } };
      ws.onclose = function () {
        onState && onState(false);
        clearTimeout(timer);
        timer = setTimeout(open, delay + Math.random() * delay / 2);
        delay = Math.min(delay * 2, 30000);
      };
      ws.onerror = function () { ws.close(); };
    }
    open();
    return { close: function () { clearTimeout(timer); ws.onclose = null; ws.close(); } };
  }
  window.madoguchiLive = liveSocket;
})();
