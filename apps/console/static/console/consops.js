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
