// Filling fields from what the server looked up: the postal dictionary (counter/postal.py) and
// the My Number card (counter/card_views.py). An element with data-fill='{"name": value}' puts
// each value into the field of that name inside data-fill-scope, and fires "change", so a field
// that saves itself (hx-post on change) saves as if the clerk had typed it.
(function () {
  "use strict";

  // One "change" after the other: each self-saving field waits for the previous save, so the
  // server gets one write at a time, as from a clerk typing.
  function fire(fields) {
    const field = fields.shift();
    if (!field) return;
    const ev = new Event("change", { bubbles: true });
    ev.madoguchiFill = true; // not the clerk's typing: no new look-up from it
    if (field.hasAttribute("hx-post")) {
      field.addEventListener("htmx:afterRequest", () => fire(fields), { once: true });
      field.dispatchEvent(ev);
    } else {
      field.dispatchEvent(ev);
      fire(fields);
    }
  }

  function apply(el) {
    let data;
    try { data = JSON.parse(el.dataset.fill); } catch (err) { return; }
    const scope = document.querySelector(el.dataset.fillScope || "body");
    if (!scope) return;
    const emptyOnly = el.hasAttribute("data-fill-empty");
    const changed = [];
    Object.keys(data).forEach((name) => {
      const field = scope.querySelector('[name="' + name + '"]');
      const value = String(data[name]);
      if (!field || field.disabled || field.value === value) return;
      if (emptyOnly && field.value.trim() !== "") return;
      field.value = value;
      changed.push(field);
    });
    fire(changed);
    const focus = el.dataset.fillFocus && document.querySelector(el.dataset.fillFocus);
    if (focus) focus.focus();
    // A field that holds a default (today's 異動日): what the clerk types replaces it.
    if (focus && el.hasAttribute("data-fill-select") && focus.select) focus.select();
  }

  // Filled when the page opens (data-fill-on-load): a card read on the home screen, for the
  // visit started from it (counter/views.py visit_detail). After htmx has wired the page, so
  // the fields that save themselves send what was filled.
  document.addEventListener("htmx:load", (e) => {
    if (e.detail.elt !== document.body) return;
    document.querySelectorAll("[data-fill-on-load]").forEach(apply);
  });

  document.addEventListener("htmx:afterSettle", (e) => {
    const root = e.detail.elt;
    if (!root || !root.querySelectorAll) return;
    const found = root.matches && root.matches("[data-fill]") ? [root] : [];
    root.querySelectorAll("[data-fill]").forEach((el) => found.push(el));
    found.filter((el) => !el.hasAttribute("data-fill-on-click")).forEach(apply);
  });

  // A form with data-pending says so in its target while its request runs, so an earlier
  // answer (「カードを読みました」 of the last card) never stands for the one being read.
  document.addEventListener("htmx:beforeRequest", (e) => {
    const elt = e.detail.elt;
    const target = e.detail.target;
    if (elt && elt.dataset && elt.dataset.pending && target) target.textContent = elt.dataset.pending;
  });

  document.addEventListener("click", (e) => {
    const el = e.target.closest && e.target.closest("[data-fill-on-click]");
    if (el) apply(el);
  });

  // 番地 and 方書 typed in one go (「3-12 コーポ北見 201」, as the address is read out): the
  // part after the first space goes to an empty 方書, before the 番地 field saves itself.
  const BANCHI = /^([0-9０-９\-－‐ー丁目番地号の]+)[ \u3000]+(\S.*)$/;
  document.addEventListener("change", (e) => {
    const input = e.target;
    if (e.madoguchiFill || input.name !== "banchi") return;
    const box = input.closest && input.closest("fieldset[data-address]");
    const katagaki = box && box.querySelector('[name="katagaki"]');
    const m = input.value.trim().match(BANCHI);
    if (!katagaki || !m || katagaki.value.trim() !== "") return;
    input.value = m[1];
    katagaki.value = m[2];
    input.addEventListener("htmx:afterRequest", () => fire([katagaki]), { once: true });
  }, true);

  // 〒 typed → its 町字; 町字 typed while 〒 is empty → its 〒 (fieldset[data-postal-url]).
  document.addEventListener("change", (e) => {
    const input = e.target;
    if (e.madoguchiFill || !input.name || !/^(zip|town)$/.test(input.name)) return;
    const box = input.closest && input.closest("fieldset[data-postal-url]");
    if (!box || !window.htmx) return;
    const hint = box.querySelector(".postal-hint");
    const get = (n) => { const f = box.querySelector('[name="' + n + '"]'); return f ? f.value : ""; };
    const q = new URLSearchParams({ which: box.dataset.address });
    if (input.name === "zip") {
      q.set("zip", input.value);
    } else {
      if (get("zip").trim() !== "" || input.value.trim() === "") return;
      q.set("pref", get("pref")); q.set("city", get("city")); q.set("town", input.value);
    }
    window.htmx.ajax("GET", box.dataset.postalUrl + "?" + q.toString(), { target: hint, swap: "innerHTML" });
  });
})();
