/* Enhancements of the experience form; everything works without this script.
   - live character counters on fields with data-count-min / data-count-max
     (characters counted as the user sees them, like the server does);
   - structure search results that update as you type (same "Ajouter" buttons as without script). */
(function () {
  "use strict";

  var segmenter = window.Intl && Intl.Segmenter ? new Intl.Segmenter("fr", { granularity: "grapheme" }) : null;

  function visibleLength(text) {
    text = text.replace(/\r\n?/g, "\n").trim();
    if (segmenter) {
      var count = 0;
      for (var _ of segmenter.segment(text)) { count += 1; }
      return count;
    }
    return Array.from(text).length;
  }

  function plural(n, word) { return n + " " + word + (n > 1 ? "s" : ""); }

  function setupCounter(field) {
    var counter = document.getElementById(field.id + "-counter");
    if (!counter) { return; }
    var min = parseInt(field.dataset.countMin, 10), max = parseInt(field.dataset.countMax, 10);
    counter.hidden = false;
    counter.setAttribute("aria-live", "polite");
    var described = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    if (described.indexOf(counter.id) < 0) { described.push(counter.id); }
    field.setAttribute("aria-describedby", described.join(" "));
    var timer = null;
    function update() {
      var n = visibleLength(field.value), message;
      if (n < min) { message = plural(n, "caractère") + " : encore " + plural(min - n, "caractère") + " au minimum."; }
      else if (n > max) { message = plural(n, "caractère") + " : " + plural(n - max, "caractère") + " de trop."; }
      else { message = plural(n, "caractère") + " sur " + max + " au maximum."; }
      counter.textContent = message;
      counter.classList.toggle("over", n > max);
    }
    field.addEventListener("input", function () {
      // Screen readers hear the count once the typing pauses, not at every key.
      window.clearTimeout(timer);
      timer = window.setTimeout(update, 400);
    });
    update();
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function renderResults(box, query, results) {
    box.textContent = "";
    var count = el("p", null, results.length
      ? plural(results.length, "structure") + " trouvée" + (results.length > 1 ? "s" : "") + " pour « " + query + " » :"
      : "Aucune structure ne correspond à « " + query + " ». Essayez un autre mot ou un code postal.");
    count.id = "results-count";
    box.appendChild(count);
    // Only the count is announced, not the whole list, and only once the typing pauses.
    var status = document.getElementById("results-status");
    if (status) { status.textContent = count.textContent; }
    if (!results.length) { return; }
    var list = el("ul", "structure-results");
    results.forEach(function (result) {
      var item = el("li");
      item.appendChild(el("span", "structure-name", result.name));
      var place = [result.postal_code, result.city].filter(Boolean).join(" ");
      item.appendChild(el("span", "hint", result.network_name + (place ? " – " + place : "")));
      var button = el("button", "secondary", "Ajouter");
      button.type = "submit"; button.name = "action"; button.value = "add:" + result.code;
      button.appendChild(el("span", "visually-hidden", " " + result.name));
      item.appendChild(button);
      list.appendChild(item);
    });
    box.appendChild(list);
  }

  function setupSearch(input) {
    var box = document.getElementById("resultats");
    if (!box || !window.fetch) { return; }
    var timer = null, last = input.value.trim(), controller = null;
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var query = input.value.trim();
        if (query === last || query.length < 2) { return; }
        last = query;
        if (controller) { controller.abort(); }
        controller = window.AbortController ? new AbortController() : null;
        fetch(input.dataset.searchUrl + "?q=" + encodeURIComponent(query),
              { headers: { Accept: "application/json" }, signal: controller ? controller.signal : undefined })
          .then(function (response) { return response.ok ? response.json() : null; })
          .then(function (body) { if (body) { renderResults(box, query, body.results); } })
          .catch(function () { /* the search button still works */ });
      }, 250);
    });
  }

  document.querySelectorAll("[data-count-max]").forEach(setupCounter);
  document.querySelectorAll("[data-search-url]").forEach(setupSearch);
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
}());
