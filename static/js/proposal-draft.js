// Proposal form: save the draft by itself while the member writes, so that
// nothing is lost when the browser is closed. The first save turns a new
// proposal into a draft; the form then edits that draft.
(function () {
  "use strict";

  var INTERVAL_MS = 15000;

  function start(form) {
    var status = form.querySelector("[data-autosave-status]");
    var dirty = false;
    var busy = false;

    function mark() { dirty = true; }
    form.addEventListener("input", mark);
    form.addEventListener("change", mark);

    function show(label, suffix) {
      if (status) status.textContent = status.getAttribute(label) + (suffix ? " " + suffix : "");
    }

    function save() {
      if (!dirty || busy || form.dataset.submitting === "1") return;
      var title = form.querySelector("[name=title]");
      if (!title || !title.value.trim()) return;
      busy = true;
      dirty = false;
      var body = new FormData(form);
      // Files are attached with the form's buttons only, not sent every save.
      body.delete("attachments");
      fetch(form.getAttribute("data-autosave-url"), {
        method: "POST",
        body: body,
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.json().then(function (body) { return { ok: response.ok, body: body }; });
        })
        .then(function (result) {
          if (!result.ok || !result.body.saved) {
            show("data-failed-label");
            return;
          }
          form.querySelector("[data-autosave-proposal]").value = result.body.proposal;
          var version = form.querySelector("[name=version]");
          if (version) version.value = result.body.version;
          if (form.getAttribute("action") !== result.body.edit_url) {
            form.setAttribute("action", result.body.edit_url);
            window.history.replaceState(null, "", result.body.edit_url);
          }
          show("data-saved-label", result.body.saved_at);
        })
        .catch(function () {
          dirty = true;
          show("data-failed-label");
        })
        .finally(function () { busy = false; });
    }

    window.setInterval(save, INTERVAL_MS);
    // Lets the page tests save without waiting for the timer.
    form.xsAutosave = save;
    // Leaving the page (or hiding it on a phone) saves what was typed.
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") save();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-autosave-url]").forEach(start);
  });
})();
