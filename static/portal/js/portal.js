// Progressive enhancement only: every page works without this file.
import DS from "../../sgds/scripts/design-system.js";

DS.initAll();

// The error summary takes focus so screen reader users hear what went wrong, and each of its
// links moves focus to the field it names (a plain fragment link only scrolls in some browsers).
const summary = document.querySelector("[data-module='portal-error-summary']");
if (summary) {
  summary.focus();
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    if (!link) return;
    const field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    const question = field.closest(".ds_question, fieldset");
    (question || field).scrollIntoView();
    field.focus({ preventScroll: true });
  });
}
