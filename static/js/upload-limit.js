// File inputs with data-max-bytes refuse a file over the limit as soon as it is chosen. The
// server refuses a request over its own limit as a whole, so what was typed with the file would
// be lost; here the file is taken off the input and the rest of the form stays as it is.
// Delegated on the document: htmx redraws the form after each save.
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-max-bytes]")) return;
    var limit = Number(input.dataset.maxBytes);
    var error = document.getElementById(input.id + "-error");
    var big = Array.prototype.filter.call(input.files || [], function (file) { return file.size > limit; });
    if (big.length) {
      input.value = "";
      input.setAttribute("aria-invalid", "true");
      if (error) {
        error.textContent = big.map(function (file) { return file.name + ": " + input.dataset.tooLarge; }).join(" ");
        error.hidden = false;
      }
    } else {
      input.removeAttribute("aria-invalid");
      if (error) {
        error.textContent = "";
        error.hidden = true;
      }
    }
  });
})();
