/* The operations pages' few lines: copy buttons (the webhook URL and secret). */
"use strict";

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) {
    return;
  }
  const field = document.getElementById(button.dataset.copy);
  const said = button.parentElement.querySelector(".ops-copied");
  const told = (text) => { if (said) { said.textContent = text; } };
  field.select();
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(() => told("Copied."), () => told("Press Ctrl+C to copy."));
  } else {
    told(document.execCommand("copy") ? "Copied." : "Press Ctrl+C to copy.");
  }
});

/* The folder picker: "add" puts the folder on its own line in the library's folders box, once. */
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-choose-folder]");
  const box = document.getElementById("id_paths");
  if (!button || !box) {
    return;
  }
  const folder = button.dataset.chooseFolder;
  const lines = box.value.split("\n").map((line) => line.trim()).filter(Boolean);
  if (!lines.includes(folder)) {
    lines.push(folder);
  }
  box.value = lines.join("\n");
  box.dispatchEvent(new Event("change", { bubbles: true }));
});
