// The supervisor's feed: ticking several activities to verify at once. The form works without
// this (each box is ticked by hand); here "Pilih semua" is offered and the button counts the
// ticked boxes. Delegated on the document: htmx replaces the feed when the filters change.
(function () {
  "use strict";

  function boxes() {
    return Array.prototype.slice.call(document.querySelectorAll('input.feed-pick[form="bulk-verify"]'));
  }

  function refresh() {
    var form = document.getElementById("bulk-verify");
    if (!form) return;
    var all = boxes();
    var ticked = all.filter(function (box) { return box.checked; }).length;
    var pickAll = form.querySelector("[data-pick-all]");
    pickAll.closest("label").hidden = all.length === 0;
    pickAll.checked = all.length > 0 && ticked === all.length;
    pickAll.indeterminate = ticked > 0 && ticked < all.length;
    var button = form.querySelector("[data-picked-label]");
    button.textContent = button.dataset.pickedLabel.replace("{n}", ticked);
    button.disabled = ticked === 0;
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches("[data-pick-all]")) {
      boxes().forEach(function (box) { box.checked = target.checked; });
      refresh();
    } else if (target.matches("input.feed-pick")) {
      refresh();
    }
  });
  document.addEventListener("DOMContentLoaded", refresh);
  // A swapped feed, a polled new item, or an item redrawn after a review.
  document.addEventListener("htmx:after:settle", refresh);
})();
