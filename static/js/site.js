// Progressive enhancement of the layout; every page works without it.
// Filter panels are <details> that wide screens show open through CSS (::details-content); in a
// browser without that selector, open them here on wide screens.
document.addEventListener("DOMContentLoaded", () => {
  const supported = window.CSS && CSS.supports && CSS.supports("selector(::details-content)");
  if (!supported && window.matchMedia("(min-width: 48.01rem)").matches) {
    document.querySelectorAll("details.filter-panel").forEach((panel) => { panel.open = true; });
  }
});

// "Scroll sideways" hints: shown by CSS on narrow screens; hidden here where the table fits.
function updateScrollHints() {
  document.querySelectorAll(".scroll-hint").forEach((hint) => {
    const region = hint.nextElementSibling;
    if (region && region.classList.contains("table-scroll")) {
      hint.hidden = region.scrollWidth <= region.clientWidth;
    }
  });
}
document.addEventListener("DOMContentLoaded", updateScrollHints);
window.addEventListener("resize", updateScrollHints);
