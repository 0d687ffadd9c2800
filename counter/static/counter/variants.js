// The 異体字 picker: a chosen character goes into the name field that had the focus last,
// at its caret (counter/_variant_picker_box.html). No inline script: the page's CSP forbids it.
(function () {
  "use strict";
  var NAME_FIELDS = "input[name=surname], input[name=given_name], input[name=name], input[data-variant-target]";
  var target = null;
  document.addEventListener("focusin", function (e) {
    if (e.target.matches && e.target.matches(NAME_FIELDS)) target = e.target;
  });
  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("button[data-insert]");
    if (!button) return;
    e.preventDefault();
    var field = target && document.contains(target) ? target : document.querySelector(NAME_FIELDS);
    if (!field) return;
    var text = button.getAttribute("data-insert");
    var start = field.selectionStart == null ? field.value.length : field.selectionStart;
    var end = field.selectionEnd == null ? start : field.selectionEnd;
    field.value = field.value.slice(0, start) + text + field.value.slice(end);
    field.focus();
    field.setSelectionRange(start + text.length, start + text.length);
    field.dispatchEvent(new Event("input", { bubbles: true }));
  });
})();
