// Progressive enhancement only: every page works without this file.
import DS from "../../sgds/scripts/design-system.js";

DS.initAll();

// The input an error summary link names. The design system's file upload hides the real file
// input behind a "drop zone" button, so focus goes to that button instead.
function fieldFor(id) {
  const field = document.getElementById(id);
  if (field && field.hidden) {
    return document.getElementById(`${id}-dropzone`) || field;
  }
  return field;
}

// The error summary takes focus so screen reader users hear what went wrong, and each of its
// links moves focus to the field it names (a plain fragment link only scrolls in some browsers).
const summaries = document.querySelectorAll("[data-module='portal-error-summary']");
summaries.forEach((summary) => {
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    if (!link) return;
    const field = fieldFor(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!field) return;
    event.preventDefault();
    // Scroll the whole question into view, so its label or legend is seen with the field.
    const question = field.closest(".ds_question, fieldset");
    (question || field).scrollIntoView();
    field.focus({ preventScroll: true });
  });
});
if (summaries.length > 0) {
  summaries[0].focus();
}
