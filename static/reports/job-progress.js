// Moves a job's progress bar in place while its summary PDFs are made. Without this file the
// page reloads itself instead (a refresh inside <noscript>), so it only improves the page.
const box = document.getElementById("job-progress");
const TAGS = { done: "ds_tag--green", failed: "ds_tag--orange", running: "ds_tag--blue" };

function cell(row, index) {
  return row ? row.cells[index] : null;
}

function showFiles(files) {
  const rows = document.querySelectorAll("#job-files tbody tr");
  files.forEach((file, index) => {
    const row = rows[index];
    const state = cell(row, 1);
    const link = cell(row, 2);
    if (!state || !link || state.dataset.state === file.state) {
      return;
    }
    state.dataset.state = file.state;
    const tag = document.createElement("strong");
    tag.className = `ds_tag ${TAGS[file.state] || "ds_tag--grey"}`;
    tag.textContent = file.label;
    state.replaceChildren(tag, file.error ? ` ${file.error}` : "");
    if (file.url) {
      const anchor = document.createElement("a");
      anchor.href = file.url;
      anchor.setAttribute("download", "");
      anchor.textContent = "Download";
      const hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = ` the summary of ${file.board}`;
      anchor.append(hidden);
      link.replaceChildren(anchor);
    }
  });
}

function show(status) {
  const bar = document.getElementById("job-progress-bar");
  const text = document.getElementById("job-progress-text");
  bar.max = status.total;
  bar.value = status.done + status.failed;
  bar.textContent = `${status.percent}%`;
  const rest = `. ${status.state_label}.`;
  // Only a change is written, so a screen reader hears each step once, not every few seconds.
  if (text.textContent !== `${status.text}${rest}`) {
    const strong = document.createElement("strong");
    strong.textContent = status.text;
    text.replaceChildren(strong, rest);
  }
  showFiles(status.files);
}

async function check() {
  let status;
  try {
    const response = await fetch(box.dataset.statusUrl, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (!response.ok) {
      return;
    }
    status = await response.json();
  } catch {
    return; // A dropped connection: try again at the next tick.
  }
  show(status);
  if (status.finished) {
    clearInterval(timer);
  }
}

let timer;
if (box && box.hasAttribute("data-running")) {
  const seconds = Number(box.dataset.interval) || 5;
  timer = setInterval(check, Math.max(seconds, 2) * 1000);
}
