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

  // Conditional reveal: a radio with data-reveals shows its follow-up question only while it
  // is chosen. The hidden "shown" field tells the server which follow-up was on the screen
  // (without script the follow-up appears after Continue instead).
  document.querySelectorAll("input[type=radio][data-reveals]").forEach(function (radio) {
    var group = document.querySelectorAll("input[type=radio][name='" + radio.name + "']");
    var shown = radio.form.querySelector("input[name='" + radio.name + "__shown']");
    var panel = document.getElementById(radio.getAttribute("data-reveals"));
    radio.setAttribute("aria-controls", panel.id);
    var sync = function () {
      panel.hidden = !radio.checked;
      if (radio.checked && shown) { shown.value = radio.value; }
      var any = Array.prototype.some.call(group, function (r) {
        return r.checked && r.hasAttribute("data-reveals");
      });
      if (!any && shown) { shown.value = ""; }
    };
    group.forEach(function (other) { other.addEventListener("change", sync); });
    sync();
  });

  // Copy buttons (the "saved" page): copying needs script, so the button is shown here.
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var status = document.querySelector("[data-copy-status]");
    var say = function (text) { if (status) { status.textContent = text; } };
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = button.getAttribute("data-copy");
      var fallback = function () {
        var area = document.createElement("textarea");
        area.value = text;
        area.setAttribute("readonly", "");
        area.className = "visually-hidden";
        document.body.appendChild(area);
        area.select();
        var ok = false;
        try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
        document.body.removeChild(area);
        say(ok ? "Link copied." : "Could not copy. Select the link and copy it yourself.");
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(function () { say("Link copied."); }, fallback);
      } else {
        fallback();
      }
    });
  });
}());
