// Progressive enhancement only: every page works without this file.
import DS from "../../sgds/scripts/design-system.js";

DS.initAll();

// The design system's file upload puts a hidden comma between the words of its drop zone button,
// so the button's name no longer contains its visible text word for word and voice control users
// cannot say what they see (WCAG 2.5.3, label in name). Without the comma the words are the same.
document.querySelectorAll(".ds_file-upload__dropzone").forEach((dropzone) => {
  const commaId = dropzone.id.replace(/-dropzone$/, "-comma");
  document.getElementById(commaId)?.remove();
  const labelledBy = (dropzone.getAttribute("aria-labelledby") || "").split(" ");
  dropzone.setAttribute("aria-labelledby", labelledBy.filter((id) => id !== commaId).join(" "));
});

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
