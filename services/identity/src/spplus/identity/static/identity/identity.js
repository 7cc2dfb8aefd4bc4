// identity pages, progressive enhancement only: everything works without this file.
(function () {
  "use strict";
  // Bring keyboard and screen-reader focus to the error summary of a form sent back with errors.
  var summary = document.getElementById("resume-erreurs");
  if (summary) { summary.focus(); }

  // Import progress: poll the API instead of reloading the whole page.
  var box = document.getElementById("import");
  if (!box || box.getAttribute("data-running") !== "true" || !window.fetch) { return; }
  var refresh = document.querySelector('meta[http-equiv="refresh"]');
  if (refresh) { refresh.parentNode.removeChild(refresh); }
  var url = "/api/v1/structures/imports/" + encodeURIComponent(box.getAttribute("data-import-id"));
  function set(id, text) { var node = document.getElementById(id); if (node) { node.textContent = text; } }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (item) {
        var bar = document.getElementById("import-progression");
        bar.max = item.total || 1; bar.value = item.processed;
        set("import-compte", item.processed + " / " + item.total);
        ["inserted", "updated", "unchanged", "rejected"].forEach(function (key) { set("import-" + key, item[key]); });
        if (item.status === "pending" || item.status === "running") { window.setTimeout(poll, 1000); }
        else { window.location.reload(); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
