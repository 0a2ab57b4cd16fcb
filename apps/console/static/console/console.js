/* The console's few lines of script; htmx does the rest. */
"use strict";

/* A panel refreshes itself only while the page is seen and the operator is not typing in it (a decline reason,
   a message to a viewer): a hidden tab costs the server nothing. */
function consoleIdle(panel) {
  if (document.hidden) {
    return false;
  }
  return !panel.contains(document.activeElement) || document.activeElement.tagName === "BUTTON";
}
window.consoleIdle = consoleIdle;
