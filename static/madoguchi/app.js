// The staff screens' small helpers: keyboard, htmx wiring that used to be inline script, and
// what the screen says when a request fails. A failure is never shown as "saved".
(function () {
  "use strict";

  // "/" focuses the search box.
  document.addEventListener("keydown", (e) => {
    if (e.key === "/" && !/INPUT|TEXTAREA|SELECT/.test(document.activeElement.tagName)) {
      const q = document.getElementById("q");
      if (q) { e.preventDefault(); q.focus(); q.select(); }
    }
  });

  // <select data-autosubmit>: choosing is submitting (the counter on the calling screen).
  document.addEventListener("change", (e) => {
    const el = e.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) el.form.requestSubmit();
  });

  document.addEventListener("htmx:configRequest", (e) => {
    const elt = e.detail.elt;
    const params = e.detail.parameters;
    // What the field showed when this screen drew it: the server refuses a save over a change
    // made by another clerk in between (counter/services.py, StaleEdit).
    if (elt.hasAttribute("data-send-seen")) params.seen = elt.defaultValue;
    // A checkbox's state as "1"/"0" under the name in data-send-checked.
    if (elt.dataset.sendChecked) params[elt.dataset.sendChecked] = elt.checked ? "1" : "0";
    // Polls and refreshes nobody clicked do not keep an idle session alive (IdleTimeoutMiddleware).
    if (!e.detail.triggeringEvent) e.detail.headers["X-Madoguchi-Background"] = "1";
  });

  // [data-pause-while-focused]: a polling block does not redraw under the user's cursor.
  document.addEventListener("htmx:beforeRequest", (e) => {
    const elt = e.detail.elt;
    if (elt.hasAttribute("data-pause-while-focused") && elt.contains(document.activeElement)
        && !e.detail.requestConfig.triggeringEvent) {
      e.preventDefault();
    }
  });

  // -- failures -------------------------------------------------------------------------------
  const M = {
    offlineWrite: "サーバーに接続できません。この操作は保存されていません。接続が戻ってから、もう一度操作してください。",
    offlineRead: "サーバーに接続できません。ネットワークとサーバーの状態を確認してください。",
    failedWrite: "保存できませんでした（エラー %s）。この操作は保存されていません。",
    failedRead: "画面を更新できませんでした（エラー %s）。",
    notSaved: "保存されていません",
  };

  function banner(text) {
    const b = document.getElementById("error-banner");
    if (!b) { console.error(text); return; }
    b.querySelector(".text").textContent = text;
    b.hidden = false;
  }

  function isWrite(detail) {
    const verb = (detail.requestConfig && detail.requestConfig.verb) || "get";
    return verb.toLowerCase() !== "get";
  }

  // A status line next to a field ("保存しました") must not keep an earlier success.
  function markNotSaved(target) {
    if (target && target.matches && target.matches("[role=status], .status")) {
      target.innerHTML = "";
      const span = document.createElement("span");
      span.className = "error";
      span.textContent = M.notSaved;
      target.appendChild(span);
    }
  }

  // The project's error pages (madoguchi/errors.py) carry X-Madoguchi-Error and their
  // message in #error-message; anything else at 4xx is a fragment naming the problem.
  function pageMessage(xhr) {
    const doc = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
    const title = doc.getElementById("error-title");
    const el = doc.getElementById("error-message");
    if (!el) return "";
    return (title ? title.textContent.trim() + "：" : "") + el.textContent.trim();
  }

  document.addEventListener("htmx:responseError", (e) => {
    const xhr = e.detail.xhr;
    const target = e.detail.target;
    const write = isWrite(e.detail);
    const errorPage = xhr.getResponseHeader("X-Madoguchi-Error");
    if (!errorPage && xhr.status < 500 && xhr.responseText && target) {
      target.innerHTML = xhr.responseText; // e.g. 409: another clerk changed this field
      return;
    }
    const message = (errorPage && pageMessage(xhr))
      || (write ? M.failedWrite : M.failedRead).replace("%s", xhr.status);
    // A refusal (4xx) saved nothing for sure; a 5xx page says itself what may have happened.
    banner(write && errorPage && xhr.status < 500 ? message + "（" + M.notSaved + "）" : message);
    if (write) markNotSaved(target);
  });

  function offline(e) {
    const write = isWrite(e.detail);
    banner(write ? M.offlineWrite : M.offlineRead);
    if (write) markNotSaved(e.detail.target);
  }
  document.addEventListener("htmx:sendError", offline);
  document.addEventListener("htmx:timeout", offline);

  document.addEventListener("htmx:afterRequest", (e) => {
    const elt = e.detail.elt;
    if (!e.detail.successful) return;
    // A saved field's value becomes what this screen "saw": the next save of it is checked
    // against it, so a change by another clerk in between is refused, not overwritten.
    if (elt && elt.tagName === "INPUT" && "defaultValue" in elt) elt.defaultValue = elt.value;
    // Something the user did went through: an earlier failure is no longer the news.
    if (e.detail.requestConfig && e.detail.requestConfig.triggeringEvent) {
      const b = document.getElementById("error-banner");
      if (b) b.hidden = true;
    }
  });

  document.addEventListener("click", (e) => {
    const id = e.target.dataset && e.target.dataset.dismiss;
    if (id) document.getElementById(id).hidden = true;
  });

  // Nothing may run through eval under the Content-Security-Policy: say so loudly in tests.
  document.addEventListener("htmx:evalDisallowedError", (e) => {
    console.error("madoguchi: htmx tried to evaluate script (not allowed)", e.detail);
  });
})();
