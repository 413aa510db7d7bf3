// Survey answer forms: hide the questions an answer skips (the server
// ignores them as well), and show them again when the answer changes.
(function () {
  "use strict";

  function skipTarget(fieldset) {
    var target = 0;
    fieldset.querySelectorAll("input[data-skip-to]:checked").forEach(function (input) {
      target = Math.max(target, parseInt(input.getAttribute("data-skip-to"), 10) || 0);
    });
    return target;
  }

  function applySkips(form) {
    var skipUntil = 0;
    form.querySelectorAll("[data-survey-question]").forEach(function (fieldset) {
      var position = parseInt(fieldset.getAttribute("data-position"), 10);
      var skipped = position < skipUntil;
      fieldset.hidden = skipped;
      fieldset.disabled = skipped;
      if (!skipped) skipUntil = Math.max(skipUntil, skipTarget(fieldset));
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-survey-form]").forEach(function (form) {
      applySkips(form);
      form.addEventListener("change", function () { applySkips(form); });
    });
  });
})();
