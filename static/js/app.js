// Portal behaviour that htmx attributes cannot express. No inline script: the CSP forbids it.
(function () {
  "use strict";

  // Every htmx request carries the CSRF token, so hx-post/hx-delete work like forms do.
  document.addEventListener("htmx:config:request", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && event.detail && event.detail.ctx) {
      event.detail.ctx.request.headers["X-CSRFToken"] = meta.content;
    }
  });

  // Close an open nav dropdown when clicking elsewhere (Pico leaves <details> open).
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.dropdown[open]").forEach(function (details) {
      if (!details.contains(event.target)) details.removeAttribute("open");
    });
  });
})();
