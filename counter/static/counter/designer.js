// Field designer: click a page to place a field; drag a frame to move it, its corner to resize
// it; the table holds the same values in mm. A box is kept with the keys of the template file
// (printing/templates_loader.py), so what the page posts is what the server checks and saves.
(function () {
  "use strict";
  var MM_PER_PX = 25.4 / 72; // the page image is rendered at 72 dpi: one pixel per point
  var ERAS = ["明", "大", "昭", "平", "令"];
  var form = document.getElementById("designer");
  var img = document.getElementById("page");
  var sheet = document.getElementById("sheet");
  var body = document.querySelector("#placed tbody");
  var select = document.getElementById("field");
  var renderSelect = document.getElementById("render");
  var status = document.getElementById("designer-status");
  var setup = JSON.parse(document.getElementById("designer-setup").textContent);
  var placed = setup.placed || [];
  var current = 1;

  function round(v) { return Math.round(v * 10) / 10; }
  function pageOf(f) { return f.page || 1; }
  // Displayed pixels per image pixel (the image may be shown smaller than its natural size).
  // Until a new page's image has loaded its natural width is 0: the last known scale holds.
  var lastScale = 1;
  function scale() {
    var r = img.getBoundingClientRect();
    if (r.width && img.naturalWidth) { lastScale = img.naturalWidth / r.width; }
    return lastScale;
  }
  function px(mm) { return mm / MM_PER_PX / scale() + "px"; }

  function choicesOf(id) { var f = setup.fields[id]; return f ? f.choices : []; }
  function acroRect(name) {
    for (var i = 0; i < setup.acroform.length; i++) { if (setup.acroform[i].name === name) { return setup.acroform[i]; } }
    return null;
  }

  // ---- the frames a box shows on its page: rectangles (moved, resized) and points (moved)

  function handles(f) {
    if (f.acroform) {
      var a = acroRect(f.acroform);
      return a ? [{ x: a.x, y: a.y, w: a.w, h: a.h, fixed: true, label: f.acroform, page: a.page }] : [];
    }
    var ring = f.ring || [6, 5];
    var out = [];
    if (f.render === "date_parts") {
      Object.keys(f.era || {}).forEach(function (e) { out.push(point(f.era, e, ring, e)); });
      ["year", "month", "day"].forEach(function (k) { if (f[k]) { out.push(rect4(f[k], k)); } });
      return out;
    }
    if (f.render === "circle") {
      var labels = {};
      choicesOf(f.field).forEach(function (c) { labels[c[0]] = c[1]; });
      Object.keys(f.options || {}).forEach(function (v) { out.push(point(f.options, v, ring, labels[v] || v)); });
      return out;
    }
    if (f.render === "digits") {
      var groups = (f.groups || []).length;
      var width = f.count * f.pitch + Math.max(groups - 1, 0) * (f.gap || 0);
      return [{ x: f.x, y: f.y, w: width, h: f.h, box: f, digits: true }];
    }
    return [{ x: f.x, y: f.y, w: f.w || 4, h: f.h || 4, box: f }];
  }
  function point(map, key, ring, label) {
    return { x: map[key][0] - ring[0] / 2, y: map[key][1] - ring[1] / 2, w: ring[0], h: ring[1],
             point: map, key: key, label: label, round: true };
  }
  function rect4(arr, label) { return { x: arr[0], y: arr[1], w: arr[2], h: arr[3], arr: arr, label: label }; }

  function move(hd, x, y) {
    if (hd.point) { hd.point[hd.key] = [round(x + hd.w / 2), round(y + hd.h / 2)]; }
    else if (hd.arr) { hd.arr[0] = round(x); hd.arr[1] = round(y); }
    else { hd.box.x = round(x); hd.box.y = round(y); }
  }
  function resize(hd, w, h) {
    w = Math.max(w, 1); h = Math.max(h, 1);
    if (hd.arr) { hd.arr[2] = round(w); hd.arr[3] = round(h); return; }
    if (hd.digits) {
      var gaps = Math.max((hd.box.groups || []).length - 1, 0) * (hd.box.gap || 0);
      hd.box.pitch = round(Math.max((w - gaps) / hd.box.count, 1));
      hd.box.w = hd.box.pitch; hd.box.h = round(h); return;
    }
    hd.box.w = round(w); hd.box.h = round(h);
  }

  function drawMarkers() {
    sheet.querySelectorAll(".marker").forEach(function (m) { m.remove(); });
    placed.forEach(function (f, i) {
      handles(f).forEach(function (hd) {
        if ((hd.page || pageOf(f)) !== current) { return; }
        var m = document.createElement("div");
        m.className = "marker" + (hd.round ? " round" : "") + (hd.fixed ? " fixed" : "");
        m.dataset.index = i;
        m.dataset.field = f.field || "signature";
        if (hd.label) { m.dataset.label = hd.label; m.title = hd.label; }
        // Position through the CSSOM (allowed by the Content-Security-Policy); the look is in app.css.
        m.style.left = px(hd.x); m.style.top = px(hd.y);
        m.style.width = px(hd.w); m.style.height = px(hd.h);
        if (!hd.fixed) {
          drag(m, hd, false);
          if (!hd.round) {
            var grip = document.createElement("span");
            grip.className = "grip";
            m.appendChild(grip);
            drag(grip, hd, true);
          }
        }
        sheet.appendChild(m);
      });
    });
  }

  function drag(el, hd, sizing) {
    el.addEventListener("pointerdown", function (e) {
      e.preventDefault(); e.stopPropagation();
      el.setPointerCapture(e.pointerId);
      var start = { cx: e.clientX, cy: e.clientY, x: hd.x, y: hd.y, w: hd.w, h: hd.h };
      var k = MM_PER_PX * scale();
      function onMove(ev) {
        var dx = (ev.clientX - start.cx) * k, dy = (ev.clientY - start.cy) * k;
        if (sizing) { resize(hd, start.w + dx, start.h + dy); } else { move(hd, start.x + dx, start.y + dy); }
        var box = sizing ? el.parentNode : el;
        if (sizing) { box.style.width = px(start.w + dx); box.style.height = px(start.h + dy); }
        else { box.style.left = px(start.x + dx); box.style.top = px(start.y + dy); }
      }
      function onUp() {
        el.removeEventListener("pointermove", onMove);
        el.removeEventListener("pointerup", onUp);
        render();
      }
      el.addEventListener("pointermove", onMove);
      el.addEventListener("pointerup", onUp);
    });
  }

  // ---- the table

  function numberCell(tr, f, k, after) {
    var td = document.createElement("td");
    var input = document.createElement("input");
    input.type = "number"; input.step = k === "page" || k === "count" ? "1" : "0.5";
    input.value = f[k] === undefined ? (k === "page" ? 1 : "") : f[k]; input.name = k;
    input.addEventListener("change", function () {
      f[k] = parseFloat(input.value) || 0;
      if (k === "page" && f[k] < 1) { f[k] = 1; }
      if (after) { after(); }
      render();
    });
    td.appendChild(input); tr.appendChild(td);
    return input;
  }
  function textCell(tr, text) { var td = document.createElement("td"); td.textContent = text; tr.appendChild(td); return td; }

  function detail(td, f) {
    function input(k, value, onchange) {
      var label = document.createElement("label");
      label.textContent = k + " ";
      var i = document.createElement("input");
      i.name = k; i.value = value; i.size = 5;
      i.addEventListener("change", function () { onchange(i.value); render(); });
      label.appendChild(i); td.appendChild(label);
    }
    if (f.acroform) { td.textContent = "AcroForm: " + f.acroform; return; }
    if (f.render === "check") {
      var s = document.createElement("select"); s.name = "choice";
      var cs = choicesOf(f.field).length ? choicesOf(f.field) : [["true", "有"], ["false", "無"]];
      cs.forEach(function (c) { s.add(new Option(c[1], c[0], false, String(f.choice) === c[0])); });
      s.addEventListener("change", function () { f.choice = s.value; });
      td.appendChild(s); return;
    }
    if (f.render === "digits") {
      input("count", f.count, function (v) { f.count = parseInt(v, 10) || 1; });
      input("pitch", f.pitch, function (v) { f.pitch = parseFloat(v) || 1; });
      input("groups", (f.groups || []).join(","), function (v) {
        f.groups = v.split(/[,、\s]+/).filter(Boolean).map(function (n) { return parseInt(n, 10) || 0; });
      });
      input("gap", f.gap || 0, function (v) { f.gap = parseFloat(v) || 0; });
      return;
    }
    if (f.render === "date_parts" || f.render === "circle") {
      td.textContent = handles(f).map(function (h) { return h.label + "(" + round(h.x + (h.round ? h.w / 2 : 0)) + "," + round(h.y + (h.round ? h.h / 2 : 0)) + ")"; }).join(" ");
    }
  }

  function render() {
    body.innerHTML = "";
    placed.forEach(function (f, i) {
      var tr = document.createElement("tr");
      tr.dataset.field = f.field || "signature";
      tr.dataset.render = f.render || (f.signature ? "signature" : "text");
      textCell(tr, f.signature ? select.options[0].text : f.field);
      textCell(tr, tr.dataset.render);
      numberCell(tr, f, "page");
      var positioned = !f.acroform && f.render !== "date_parts" && f.render !== "circle";
      ["x", "y", "w", "h"].forEach(function (k) { if (positioned) { numberCell(tr, f, k); } else { textCell(tr, "—"); } });
      if (f.signature || f.render === "circle") { textCell(tr, "—"); } else { numberCell(tr, f, "size"); }
      var td = document.createElement("td");
      var align = document.createElement("select");
      align.name = "align";
      ["L", "C", "R"].forEach(function (a) { align.add(new Option(a, a, false, (f.align || "L") === a)); });
      align.addEventListener("change", function () { f.align = align.value; });
      td.appendChild(align); tr.appendChild(td);
      detail(textCell(tr, ""), f);
      var del = document.createElement("td");
      var b = document.createElement("button");
      b.type = "button"; b.textContent = "×"; b.className = "remove";
      b.addEventListener("click", function () { placed.splice(i, 1); render(); });
      del.appendChild(b); tr.appendChild(del);
      body.appendChild(tr);
    });
    drawMarkers();
  }

  // ---- placing

  function newBox(field, kind, x, y) {
    if (field === "__signature__") { return { signature: true, x: x, y: y, w: 80, h: 20, page: current }; }
    var base = { field: field, page: current };
    var choices = choicesOf(field);
    if (kind === "check") {
      return Object.assign(base, { render: "check", choice: choices.length ? choices[0][0] : "true", x: x, y: y, w: 0, h: 4 });
    }
    if (kind === "circle") {
      var options = {};
      (choices.length ? choices : [["true", "有"], ["false", "無"]]).forEach(function (c, n) { options[c[0]] = [round(x + n * 12), y]; });
      return Object.assign(base, { render: "circle", options: options, ring: [8, 6] });
    }
    if (kind === "date_parts") {
      var era = {};
      ERAS.forEach(function (e, n) { era[e] = [round(x + n * 7), y]; });
      return Object.assign(base, { render: "date_parts", era: era, ring: [6, 5.4], size: 11,
        year: [round(x + 36), round(y - 4), 11, 8], month: [round(x + 53), round(y - 4), 9, 8],
        day: [round(x + 68), round(y - 4), 9, 8] });
    }
    if (kind === "digits") {
      var zip = /zip$/.test(field), phone = /phone$/.test(field);
      return Object.assign(base, { render: "digits", x: x, y: y, w: 6, h: 8, pitch: 6, size: 11,
        count: zip ? 7 : phone ? 11 : 8, groups: zip ? [3, 4] : phone ? [3, 4, 4] : [], gap: zip || phone ? 4 : 0 });
    }
    return Object.assign(base, { x: x, y: y, w: 80, h: 8, size: 10.5, align: "L" });
  }

  img.addEventListener("click", function (e) {
    var rect = img.getBoundingClientRect();
    var x = round((e.clientX - rect.left) * scale() * MM_PER_PX);
    var y = round((e.clientY - rect.top) * scale() * MM_PER_PX);
    placed.push(newBox(select.value, renderSelect.value, x, y));
    render();
  });
  img.addEventListener("load", drawMarkers);

  var mapButton = document.getElementById("map-acroform");
  if (mapButton) {
    mapButton.addEventListener("click", function () {
      var name = document.getElementById("acroform").value;
      placed.push(select.value === "__signature__" ? { signature: true, acroform: name } : { field: select.value, acroform: name });
      render();
    });
  }

  document.querySelectorAll("#pages button").forEach(function (b) {
    b.addEventListener("click", function () {
      current = parseInt(b.dataset.page, 10);
      document.querySelectorAll("#pages button").forEach(function (o) { o.setAttribute("aria-pressed", String(o === b)); });
      img.src = form.dataset.pageUrl + "?page=" + current;
      render();
    });
  });

  // ---- preview and save

  function post(url, extra) {
    var data = new FormData();
    if (extra) { Object.keys(extra).forEach(function (k) { data.append(k, extra[k]); }); }
    data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    data.append("title", document.getElementById("title").value);
    data.append("fields", JSON.stringify(placed));
    data.append("page", String(current));
    return fetch(url, { method: "POST", body: data });
  }

  // A failure never leaves "saved" on the screen: the server's words, or that nothing was saved.
  function failed() { status.textContent = status.dataset.failed; }

  document.getElementById("preview").addEventListener("click", function () {
    status.textContent = "";
    post(form.dataset.previewUrl).then(function (r) {
      if (!r.ok) { return r.json().then(function (j) { status.textContent = j.error || status.dataset.failed; }, failed); }
      return r.blob().then(function (b) {
        var out = document.getElementById("preview-img");
        out.dataset.loaded = "";
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
      status.textContent = j.ok ? status.dataset.saved + j.saved + status.dataset.version.replace("{n}", j.version)
                                : (j.error || status.dataset.failed);
    }).catch(failed);
  }
  document.getElementById("save").addEventListener("click", function () { save(); });

  render();
})();
