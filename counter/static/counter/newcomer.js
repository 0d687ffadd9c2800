// The newcomer row's reading (フリガナ) from what the clerk typed into the IME for the name:
// the kana of each composition, before conversion, go into the reading field while that field
// still holds what this script put there (a reading the clerk typed or corrected is kept).
// Conversion can pick a kanji with another reading, so the clerk still checks it on screen.
(function () {
  "use strict";

  const PAIRS = { surname: "surname_kana", given_name: "given_kana" };
  const KANA = /^[\u3041-\u3096\u30a1-\u30fa\u30fc]+$/;
  const toKatakana = (s) => s.replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60));

  function setup(form) {
    Object.keys(PAIRS).forEach((name) => {
      const field = form.querySelector('[name="' + name + '"]');
      const kana = form.querySelector('[name="' + PAIRS[name] + '"]');
      if (!field || !kana) return;
      let reading = "", pending = "", ours = kana.value === "";
      field.addEventListener("compositionstart", () => { pending = ""; });
      field.addEventListener("compositionupdate", (e) => {
        if (e.data && KANA.test(e.data)) pending = e.data;
      });
      field.addEventListener("compositionend", () => {
        reading += pending;
        pending = "";
        if (ours && reading) kana.value = toKatakana(reading);
      });
      field.addEventListener("input", () => {
        if (field.value === "") reading = "";
      });
      // Typed into by the clerk: from now on the reading is theirs.
      kana.addEventListener("input", () => { ours = kana.value === ""; });
    });
  }

  // The whole reading typed into the surname's field (カサイ　タツジ) is split at the space, as
  // the server does (counter/forms.py), so the screen shows what will be stored.
  function splitReading(form) {
    const surname = form.querySelector('[name="surname_kana"]');
    const given = form.querySelector('[name="given_kana"]');
    if (!surname || !given) return;
    surname.addEventListener("change", () => {
      const m = surname.value.trim().match(/^([^ \u3000]+)[ \u3000]+(.+)$/);
      if (!m || given.value.trim() !== "") return;
      surname.value = m[1];
      given.value = m[2];
    });
  }

  document.querySelectorAll("form#newcomer").forEach((form) => {
    setup(form);
    splitReading(form);
  });
})();
