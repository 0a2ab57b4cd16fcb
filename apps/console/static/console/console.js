/* The console's few lines of script; htmx does the rest. */
"use strict";

/* A panel refreshes itself only while the operator is not typing in it (a decline reason, a message). */
function consoleIdle(panel) {
  return !panel.contains(document.activeElement) || document.activeElement.tagName === "BUTTON";
}
window.consoleIdle = consoleIdle;
