// Progressive enhancement of the answer editor: a live character counter for the body.
// The form works the same without it (the server checks the length).
(function () {
  "use strict";
  // After a refused submission, bring keyboard and screen-reader users to the error summary.
  var summary = document.getElementById("erreurs");
  if (summary) { summary.focus(); }
  var body = document.getElementById("body");
  if (!body) { return; }
  var max = parseInt(body.getAttribute("maxlength"), 10) || 3000;
  var counter = document.createElement("p");
  counter.className = "hint";
  counter.id = "body-compteur";
  counter.setAttribute("aria-live", "polite");
  body.insertAdjacentElement("afterend", counter);
  var described = body.getAttribute("aria-describedby");
  body.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
  function update() {
    var count = body.value.length;
    counter.textContent = count.toLocaleString("fr-FR") + " caractère" + (count > 1 ? "s" : "") +
      " sur " + max.toLocaleString("fr-FR") + (count < 20 ? " (20 au minimum)" : "");
  }
  body.addEventListener("input", update);
  update();
}());
