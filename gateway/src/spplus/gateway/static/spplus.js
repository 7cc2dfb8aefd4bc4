/* Services Publics + : small progressive enhancements. Every page works without this script. */
(function () {
  "use strict";

  // Bring keyboard and screen-reader users to the error summary of a form sent back with errors.
  var summary = document.querySelector(".error-summary, [data-error-summary]");
  if (summary) {
    if (!summary.hasAttribute("tabindex")) { summary.setAttribute("tabindex", "-1"); }
    summary.focus();
  }

  // Live character count under text areas that declare a maximum length.
  var areas = document.querySelectorAll("textarea[maxlength]");
  Array.prototype.forEach.call(areas, function (area) {
    var max = parseInt(area.getAttribute("maxlength"), 10);
    if (!max) { return; }
    var counter = document.createElement("p");
    counter.className = "hint char-count";
    counter.id = (area.id || "zone") + "-compteur";
    counter.setAttribute("aria-live", "polite");
    var update = function () {
      var left = max - area.value.length;
      counter.textContent = left + (left > 1 ? " caractères restants" : " caractère restant");
    };
    area.parentNode.insertBefore(counter, area.nextSibling);
    var described = area.getAttribute("aria-describedby");
    area.setAttribute("aria-describedby", described ? described + " " + counter.id : counter.id);
    area.addEventListener("input", update);
    update();
  });

  // Buttons that ask for confirmation before an irreversible action (data-confirm="message").
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var message = (button && button.getAttribute("data-confirm")) || event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });
}());
