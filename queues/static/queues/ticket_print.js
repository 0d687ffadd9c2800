// The kiosk prints at once and returns to the purposes for the next resident.
window.addEventListener("load", function () {
  if (new URLSearchParams(location.search).get("noprint") === null) window.print();
  setTimeout(function () { location.href = document.getElementById("back").href; }, 20000);
});
