// The signature pad: Pointer Events on a canvas (pen, finger or mouse), no libraries.
(function () {
  "use strict";
  var canvas = document.getElementById("pad");
  var status = document.getElementById("status");
  var ctx = canvas.getContext("2d");
  var strokes = [];
  var current = null;

  function resize() {
    // Draw at device pixels so the ink stays sharp on a high-density tablet.
    var ratio = window.devicePixelRatio || 1;
    var rect = canvas.getBoundingClientRect();
    canvas.width = Math.round(rect.width * ratio);
    canvas.height = Math.round(rect.height * ratio);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.lineWidth = 3;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.strokeStyle = "#000";
    redraw();
  }

  function redraw() {
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    strokes.forEach(function (s) {
      ctx.beginPath();
      s.forEach(function (p, i) { if (i === 0) { ctx.moveTo(p[0], p[1]); } else { ctx.lineTo(p[0], p[1]); } });
      if (s.length === 1) { ctx.lineTo(s[0][0] + 0.5, s[0][1] + 0.5); }
      ctx.stroke();
    });
  }

  function point(e) {
    var rect = canvas.getBoundingClientRect();
    return [Math.round(e.clientX - rect.left), Math.round(e.clientY - rect.top), Math.round(e.timeStamp)];
  }

  canvas.addEventListener("pointerdown", function (e) {
    canvas.setPointerCapture(e.pointerId);
    current = [point(e)];
    strokes.push(current);
    redraw();
  });
  canvas.addEventListener("pointermove", function (e) {
    if (!current) { return; }
    current.push(point(e));
    redraw();
  });
  function end() { current = null; }
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);

  document.getElementById("clear").addEventListener("click", function () {
    strokes = [];
    status.textContent = "";
    redraw();
  });

  document.getElementById("submit").addEventListener("click", function () {
    if (!strokes.length) { status.textContent = status.dataset.empty; return; }
    fetch(window.location.href, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-CSRFToken": document.querySelector("[name=csrfmiddlewaretoken]").value,
      },
      // The forms this page listed: the signature is given for exactly those.
      body: JSON.stringify({
        png: canvas.toDataURL("image/png"),
        strokes: strokes,
        forms: Array.prototype.map.call(document.querySelectorAll("#forms [data-form]"),
                                        function (li) { return li.dataset.form; }),
      }),
    }).then(function (r) {
      if (r.ok) { status.textContent = status.dataset.saved; document.body.dataset.signed = "1"; return; }
      // The server names the problem (e.g. the visit is already accepted): show its words.
      return r.json().then(function (body) {
        status.textContent = (body && body.error) || status.dataset.failed;
      }, function () { status.textContent = status.dataset.failed; });
    }).catch(function () { status.textContent = status.dataset.failed; });
  });

  window.addEventListener("resize", resize);
  resize();
})();
