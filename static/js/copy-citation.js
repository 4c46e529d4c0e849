// Progressive enhancement of the "Cite this" box: a button that copies the citation. Without
// JavaScript the citation stays a read-only text area to select and copy by hand.
(function () {
  "use strict";
  function enhance(area) {
    if (!navigator.clipboard) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = area.dataset.copyButtonLabel;
    var status = document.createElement("span");
    status.className = "copy-status";
    status.setAttribute("role", "status");
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(area.value).then(function () {
        status.textContent = area.dataset.copiedLabel;
      });
    });
    area.insertAdjacentElement("afterend", status);
    area.insertAdjacentElement("afterend", button);
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea.citation").forEach(enhance);
  });
})();
