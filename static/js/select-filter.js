// Adds a search box above each <select multiple data-filter>, hiding the options that do not
// contain what is typed. Without JavaScript the plain multiple select still works.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("select[multiple][data-filter]").forEach((select) => {
    const input = document.createElement("input");
    input.type = "search";
    input.className = "select-filter";
    const label = select.labels.length ? select.labels[0].textContent.replace(/:$/, "") : "";
    input.setAttribute("aria-label", `Search: ${label}`);
    input.setAttribute("aria-controls", select.id);
    select.before(input);
    input.addEventListener("input", () => {
      const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      for (const option of select.options) {
        const text = option.textContent.toLowerCase();
        option.hidden = !option.selected && !words.every((word) => text.includes(word));
      }
    });
  });
});
