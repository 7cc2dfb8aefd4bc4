/* Combined API documentation (served by the gateway, no CDN). */
window.addEventListener("load", function () {
  "use strict";
  window.ui = SwaggerUIBundle({
    url: document.getElementById("swagger-ui").getAttribute("data-spec"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
});
