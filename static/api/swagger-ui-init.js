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

  // Swagger UI names neither the menus of parameters with set values (?lang=) nor its scrolling
  // code blocks (axe: select-name, scrollable-region-focusable): each menu is named after its
  // parameter, and each code block is reachable by keyboard, as Swagger UI draws them.
  function mend() {
    root.querySelectorAll(".parameters-col_description select:not([aria-label])").forEach(
      function (select) {
        const name = select.closest("tr").querySelector(".parameter__name");
        if (name) select.setAttribute("aria-label", name.firstChild.textContent.trim());
      },
    );
    root.querySelectorAll(".highlight-code > .microlight:not([tabindex])").forEach(function (code) {
      code.setAttribute("tabindex", "0");
    });
  }
  new MutationObserver(mend).observe(root, { childList: true, subtree: true });
})();
