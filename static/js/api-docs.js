// Start Swagger UI on the API documentation page. Its settings come from a
// json_script block, so the page needs no inline script (strict CSP).
(function () {
  "use strict";
  var holder = document.getElementById("swagger-ui");
  var settingsNode = document.getElementById("swagger-settings");
  if (!holder || !settingsNode || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  var config = JSON.parse(settingsNode.textContent);
  var csrfToken = holder.dataset.csrfToken;
  config.dom_id = "#swagger-ui";
  config.presets = [window.SwaggerUIBundle.presets.apis, window.SwaggerUIBundle.SwaggerUIStandalonePreset].filter(Boolean);
  config.requestInterceptor = function (request) {
    // Session calls that write need the CSRF token, like every form.
    if (csrfToken) {
      request.headers["X-CSRFToken"] = csrfToken;
    }
    return request;
  };
  window.SwaggerUIBundle(config);
})();
