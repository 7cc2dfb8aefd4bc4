// Progressive enhancement of the vote forms: the same vote through the JSON API, without
// reloading the page. Without JavaScript the forms post and redirect back (see pages.py).
(function () {
  "use strict";

  function announce(form, text) {
    var status = document.getElementById("annonce-vote");
    if (status) { status.textContent = text; }
    var note = document.createElement("p");
    note.textContent = text;
    form.replaceWith(note);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-vote-api")) { return; }
    event.preventDefault();
    var token = form.querySelector("input[name=csrf_token]").value;
    var init = {method: "POST", credentials: "same-origin",
                headers: {"Accept": "application/json", "X-CSRF-Token": token}};
    var useful = null;
    if (form.getAttribute("data-vote-kind") === "useful") {
      useful = event.submitter && event.submitter.value === "oui";
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify({useful: useful});
    }
    fetch(form.getAttribute("data-vote-api"), init).then(function (response) {
      if (!response.ok) { throw response; }
      return response.json();
    }).then(function (result) {
      if (useful === null) {
        var count = document.querySelector("[data-similar-count]");
        if (count) { count.textContent = result.similar_count; }
        announce(form, result.counted ? "Merci : votre expérience similaire a été comptée."
                                      : "Vous aviez déjà indiqué avoir vécu une expérience similaire.");
      } else {
        var counts = form.parentNode.querySelector("[data-useful-counts]");
        if (counts) { counts.textContent = result.useful_yes + (result.useful_yes > 1 ? " personnes l'ont" : " personne l'a") +
                                       " jugée utile, " + result.useful_no + " peu utile."; }
        announce(form, result.counted ? "Merci pour votre avis sur cette réponse."
                                      : "Vous aviez déjà donné votre avis sur cette réponse.");
      }
    }).catch(function () {
      form.removeAttribute("data-vote-api");
      form.requestSubmit(event.submitter || undefined);  // fall back to the plain form
    });
  });
}());
