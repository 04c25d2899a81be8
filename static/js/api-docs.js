// Starts Swagger UI on the API docs page (/api/v1/docs) with the app's own OpenAPI document.
// A file, not an inline script: the Content-Security-Policy allows scripts from 'self' only.
(function () {
  "use strict";

  function start() {
    var root = document.getElementById("api-docs");
    if (!root || typeof window.SwaggerUIBundle !== "function") {
      return;
    }
    window.SwaggerUIBundle({
      url: root.dataset.specUrl,
      domNode: root,
      deepLinking: true,
      // No call to the public validator service: nothing leaves this server.
      validatorUrl: null,
      // "Try it out" keeps the token typed into Authorize only for this page's life.
      persistAuthorization: false,
      presets: [window.SwaggerUIBundle.presets.apis],
      layout: "BaseLayout",
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
