"use strict";

// Starts Swagger UI on /api/docs/. A file rather than an inline script, so that the page works
// under a Content Security Policy without 'unsafe-inline'; the schema's address comes from the
// page's data-schema-url attribute.
(function () {
  const root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.schemaUrl,
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    // Deep links put a link inside each operation's toggle button, a nested interactive control
    // that screen readers cannot reach (axe: nested-interactive).
    deepLinking: false,
    // Its highlighting colours numbers too faintly on the dark code background (axe:
    // color-contrast); plain text reads as well.
    syntaxHighlight: { activated: false },
    // Never send the schema to swagger.io's online validator: no request leaves this site.
    validatorUrl: null,
  });
})();
