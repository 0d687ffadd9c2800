// One tap, one ticket: a second tap while the first is printing does nothing.
(function () {
  var form = document.getElementById("kiosk");
  form.addEventListener("submit", function (e) {
    if (form.dataset.sent) { e.preventDefault(); return; }
    form.dataset.sent = "1";
  });
})();
