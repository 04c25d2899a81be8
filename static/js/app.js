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

  // An act that cannot be undone asks first: a submit button (or its form) with data-confirm.
  // Dismissing sends nothing. Captured on the document so it runs before the form is sent;
  // htmx requests ask through hx-confirm instead.
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var question = (button && button.getAttribute("data-confirm")) ||
      event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // A table too wide for the screen opens scrolled to the columns that matter now (the last
  // cell matching data-scroll-to ends at the right edge), not at January.
  document.querySelectorAll("[data-scroll-to]").forEach(function (wrap) {
    var targets = wrap.querySelectorAll(wrap.getAttribute("data-scroll-to"));
    var last = targets[targets.length - 1];
    if (!last || wrap.scrollWidth <= wrap.clientWidth) return;
    var overflow = last.getBoundingClientRect().right - wrap.getBoundingClientRect().right;
    if (overflow > 0) wrap.scrollLeft += overflow;
  });

  // Close an open nav dropdown when clicking elsewhere (Pico leaves <details> open).
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.dropdown[open]").forEach(function (details) {
      if (!details.contains(event.target)) details.removeAttribute("open");
    });
  });

  // The phone menu is a popover the browser opens and closes (templates/base.html); say on
  // its button whether it is open, for screen readers and for the button's own look.
  var menu = document.getElementById("site-menu");
  var toggle = document.querySelector(".nav-toggle");
  if (menu && toggle) {
    toggle.setAttribute("aria-expanded", "false");
    menu.addEventListener("toggle", function (event) {
      toggle.setAttribute("aria-expanded", String(event.newState === "open"));
    });
  }
})();
