// Field designer: click the page to place a field; the table holds positions in mm.
(function () {
  "use strict";
  var MM_PER_PX = 25.4 / 72; // the page image is rendered at 72 dpi: one pixel per point
  var form = document.getElementById("designer");
  var img = document.getElementById("page");
  var sheet = document.getElementById("sheet");
  var body = document.querySelector("#placed tbody");
  var select = document.getElementById("field");
  var status = document.getElementById("designer-status");
  var placed = [];

  function round(v) { return Math.round(v * 10) / 10; }

  function render() {
    body.innerHTML = "";
    sheet.querySelectorAll(".marker").forEach(function (m) { m.remove(); });
    placed.forEach(function (f, i) {
      var tr = document.createElement("tr");
      tr.dataset.field = f.field || "signature";
      var name = document.createElement("td");
      name.textContent = f.signature ? select.options[0].text : f.field;
      tr.appendChild(name);
      ["x", "y", "w", "h", "size"].forEach(function (k) {
        var td = document.createElement("td");
        var input = document.createElement("input");
        input.type = "number"; input.step = "0.5"; input.value = f[k]; input.name = k;
        input.addEventListener("change", function () { f[k] = parseFloat(input.value) || 0; render(); });
        td.appendChild(input); tr.appendChild(td);
      });
      var td = document.createElement("td");
      var align = document.createElement("select");
      ["L", "C", "R"].forEach(function (a) { var o = new Option(a, a, false, f.align === a); align.add(o); });
      align.addEventListener("change", function () { f.align = align.value; });
      td.appendChild(align); tr.appendChild(td);
      var del = document.createElement("td");
      var b = document.createElement("button");
      b.type = "button"; b.textContent = "×";
      b.addEventListener("click", function () { placed.splice(i, 1); render(); });
      del.appendChild(b); tr.appendChild(del);
      body.appendChild(tr);
      var m = document.createElement("div");
      m.className = "marker";
      // Position through the CSSOM (allowed by the Content-Security-Policy); the look is in app.css.
      m.style.left = f.x / MM_PER_PX + "px";
      m.style.top = f.y / MM_PER_PX + "px";
      m.style.width = f.w / MM_PER_PX + "px";
      m.style.height = f.h / MM_PER_PX + "px";
      sheet.appendChild(m);
    });
  }

  img.addEventListener("click", function (e) {
    var rect = img.getBoundingClientRect();
    var scale = img.naturalWidth / rect.width;
    var x = round((e.clientX - rect.left) * scale * MM_PER_PX);
    var y = round((e.clientY - rect.top) * scale * MM_PER_PX);
    var sig = select.value === "__signature__";
    placed.push(sig ? { signature: true, x: x, y: y, w: 80, h: 20, size: 10.5, align: "L" }
                    : { field: select.value, x: x, y: y, w: 80, h: 8, size: 10.5, align: "L" });
    render();
  });

  function post(url, extra) {
    var data = new FormData();
    if (extra) { Object.keys(extra).forEach(function (k) { data.append(k, extra[k]); }); }
    data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    data.append("title", document.getElementById("title").value);
    data.append("fields", JSON.stringify(placed));
    return fetch(url, { method: "POST", body: data });
  }

  // A failure never leaves "saved" on the screen: the server's words, or that nothing was saved.
  function failed() { status.textContent = status.dataset.failed; }

  document.getElementById("preview").addEventListener("click", function () {
    post(form.dataset.previewUrl).then(function (r) {
      if (!r.ok) { return r.json().then(function (j) { status.textContent = j.error || status.dataset.failed; }, failed); }
      return r.blob().then(function (b) {
        var out = document.getElementById("preview-img");
        out.onload = function () { out.dataset.loaded = "1"; };
        out.src = URL.createObjectURL(b);
        out.hidden = false;
        status.textContent = status.dataset.previewed;
      });
    }).catch(failed);
  });

  function save(extra) {
    status.textContent = "";
    post(form.dataset.saveUrl, extra).then(function (r) { return r.json(); }).then(function (j) {
      if (j.exists && window.confirm(j.error)) { save({ replace: "1" }); return; }
      status.textContent = j.ok ? status.dataset.saved + j.saved : (j.error || status.dataset.failed);
    }).catch(failed);
  }
  document.getElementById("save").addEventListener("click", function () { save(); });
})();
