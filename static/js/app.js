// Page behaviour without inline script (strict CSP): confirmations,
// no double submits, character counters, charts from json_script data.
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    if (form.dataset.submitting === "1") {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "1";
    // Disabled buttons are left out of the submitted data: carry the name and
    // value of the button that was pressed (e.g. "save" or "submit") along.
    var pressed = event.submitter;
    form.querySelectorAll("input[data-carried]").forEach(function (old) { old.remove(); });
    if (pressed && pressed.name) {
      var carried = document.createElement("input");
      carried.type = "hidden";
      carried.setAttribute("data-carried", "");
      carried.name = pressed.name;
      carried.value = pressed.value;
      form.appendChild(carried);
    }
    form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) {
      b.disabled = true;
      b.setAttribute("aria-busy", "true");
    });
  });

  // Forms restored from the back-forward cache must be usable again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submitting]").forEach(function (form) {
      delete form.dataset.submitting;
      form.querySelectorAll("[aria-busy]").forEach(function (b) {
        b.disabled = false;
        b.removeAttribute("aria-busy");
      });
    });
  });

  function updateCounter(field) {
    var counter = document.getElementById(field.id + "-counter");
    if (!counter) return;
    var max = parseInt(field.getAttribute("data-max-chars"), 10);
    var used = Array.from(field.value).length;
    counter.textContent = used + " / " + max;
    counter.classList.toggle("over", used > max);
  }
  document.addEventListener("input", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-max-chars")) updateCounter(event.target);
  });

  function initCharts(root) {
    if (!window.echarts) return;
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-chart"));
      if (!source || el.dataset.ready) return;
      el.dataset.ready = "1";
      var chart = window.echarts.init(el);
      chart.setOption(JSON.parse(source.textContent));
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  function init(root) {
    root.querySelectorAll("[data-max-chars]").forEach(updateCounter);
    initCharts(root);
  }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (event) { init(event.target); });
})();
