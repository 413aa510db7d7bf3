// Opinion-report forms: one counter for problem, analysis and suggestion
// together, as the limit counts them together (no inline script: strict CSP).
(function () {
  "use strict";

  function update(counter) {
    var fields = document.querySelectorAll("[data-shared-limit]");
    var max = parseInt(counter.getAttribute("data-limit"), 10);
    var used = 0;
    fields.forEach(function (field) { used += Array.from(field.value).length; });
    counter.textContent = counter.getAttribute("data-label") + " " + used + " / " + max;
    counter.classList.toggle("text-danger", used > max);
    counter.classList.toggle("fw-bold", used > max);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var counter = document.getElementById("opinion-length");
    if (!counter) return;
    update(counter);
    document.addEventListener("input", function (event) {
      if (event.target.hasAttribute && event.target.hasAttribute("data-shared-limit")) update(counter);
    });
  });
})();
