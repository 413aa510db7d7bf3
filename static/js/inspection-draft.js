// Inspection form: keep what the member typed on the phone itself
// (localStorage), so that a lost connection or a closed browser loses
// nothing. The draft is restored when the form is opened again and removed
// once the inspection page says it was recorded. Photos are not kept.
(function () {
  "use strict";

  function read(key) {
    try { return JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.type !== "file" && el.type !== "hidden" && el.type !== "submit";
    });
  }

  function snapshot(form) {
    var data = {};
    fields(form).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        if (!data[el.name]) data[el.name] = [];
        if (el.checked) data[el.name].push(el.value);
      } else {
        data[el.name] = el.value;
      }
    });
    return data;
  }

  function restore(form, data) {
    fields(form).forEach(function (el) {
      if (!(el.name in data)) return;
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = data[el.name].indexOf(el.value) !== -1;
      } else {
        el.value = data[el.name];
      }
    });
  }

  function start(form) {
    var key = form.getAttribute("data-draft-key");
    var status = form.querySelector("[data-draft-status]");
    var saved = read(key);
    // A form sent back with errors shows what the server has; keep that.
    if (saved && !form.querySelector(".is-invalid, [data-testid=form-errors]")) {
      restore(form, saved);
      if (status) status.textContent = status.getAttribute("data-restored-label");
    }
    function keep() {
      try {
        window.localStorage.setItem(key, JSON.stringify(snapshot(form)));
        if (status) status.textContent = status.getAttribute("data-saved-label");
      } catch (e) { /* storage full or disabled: the form still works */ }
    }
    form.addEventListener("input", keep);
    form.addEventListener("change", keep);
    form.addEventListener("submit", keep);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-draft-key]").forEach(start);
    document.querySelectorAll("[data-draft-clear]").forEach(function (el) {
      try { window.localStorage.removeItem(el.getAttribute("data-draft-clear")); } catch (e) { /* nothing kept */ }
    });
  });
})();
