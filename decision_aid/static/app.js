// Small enhancements only: everything works without JavaScript.
(function () {
  "use strict";
  // Move focus to the error summary after a failed submit.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }

  // Links in the error summary: focus the input, and scroll its question into view.
  document.querySelectorAll(".error-summary a").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var input = document.getElementById(link.getAttribute("href").slice(1));
      if (!input) { return; }
      event.preventDefault();
      var group = input.closest(".form-group") || input;
      group.scrollIntoView();
      input.focus({ preventScroll: true });
    });
  });

  // "None of these": ticking it unticks the others, and the other way round.
  document.querySelectorAll("input[type=checkbox][data-exclusive]").forEach(function (none) {
    var others = Array.prototype.filter.call(
      document.querySelectorAll("input[type=checkbox][name='" + none.name + "']"),
      function (box) { return box !== none; });
    none.addEventListener("change", function () {
      if (none.checked) { others.forEach(function (box) { box.checked = false; }); }
    });
    others.forEach(function (box) {
      box.addEventListener("change", function () { if (box.checked) { none.checked = false; } });
    });
  });

  // Print buttons (the summary page): a real button needs script, so it is added here.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
}());
