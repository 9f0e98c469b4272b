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

// A usual journey is filled in where the page is, so that the date and anything else the rep has
// typed into the item form stay; without this, the form asks the server and the page reloads.
document.querySelectorAll("[data-module='portal-fill-journey']").forEach((picker) => {
  const answers = JSON.parse(document.getElementById(picker.dataset.answers).textContent);
  const item = document.getElementById(picker.dataset.fills);
  const status = picker.querySelector("[role='status']");
  picker.addEventListener("submit", (event) => {
    const chosen = picker.querySelector("input[type='radio']:checked");
    // Nothing chosen: the server says what to do, as it would without JavaScript.
    if (!chosen || !item || !(chosen.value in answers)) return;
    event.preventDefault();
    const journey = answers[chosen.value];
    item.elements.namedItem("description").value = journey.description;
    item.elements.namedItem("miles").value = journey.miles;
    const vehicle = item.querySelector(`input[name='vehicle'][value='${journey.vehicle}']`);
    if (vehicle) vehicle.checked = true;
    status.textContent = `Filled in below: ${journey.description}, ${journey.miles} miles. Check them, then save.`;
    item.elements.namedItem("description").focus();
  });
});
