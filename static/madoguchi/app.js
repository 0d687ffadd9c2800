// Small keyboard helpers for the counter: "/" focuses the search box; failed saves are shown.
document.addEventListener("keydown", (e) => {
  if (e.key === "/" && !/INPUT|TEXTAREA|SELECT/.test(document.activeElement.tagName)) {
    const q = document.getElementById("q");
    if (q) { e.preventDefault(); q.focus(); q.select(); }
  }
});
document.addEventListener("htmx:responseError", (e) => {
  const target = e.detail.target;
  // The server answers 4xx with a message fragment naming the problem: show it where the user looks.
  if (target && e.detail.xhr.responseText) target.innerHTML = e.detail.xhr.responseText;
});
document.addEventListener("htmx:sendError", () => {
  alert("サーバーに接続できません。入力済みの内容は保存されています。ネットワークを確認してください。");
});
document.addEventListener("htmx:afterRequest", (e) => {
  // A saved field's value becomes what this screen "saw": the next save of it is checked
  // against it, so a change by another clerk in between is refused, not overwritten.
  const elt = e.detail.elt;
  if (e.detail.successful && elt && elt.tagName === "INPUT" && "defaultValue" in elt) elt.defaultValue = elt.value;
});
