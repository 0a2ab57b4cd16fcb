// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Controls that need this script (the grid's "Load more") are shown only when it runs.
  document.documentElement.classList.add("js");
  // Close the account menu when focus or a click leaves it (a <details> stays open otherwise).
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.user-menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details.user-menu[open]").forEach(function (menu) {
      menu.removeAttribute("open");
      menu.querySelector("summary").focus();
    });
  });
  // "Load more" appends cards in place: keyboard focus goes to the first new card, not back to the top.
  var firstNew = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt.classList.contains("pager-more")) {
      firstNew = document.querySelectorAll("#library-grid > li").length;
    }
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (firstNew === null) return;
    var card = document.querySelectorAll("#library-grid > li a.card")[firstNew];
    firstNew = null;
    if (card) card.focus();
  });
})();
