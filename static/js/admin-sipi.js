/* Loaded (not deferred) in the head of every admin page (templates/admin/base_site.html), so it
 * runs before Django's nav_sidebar.js. Below 1500 px the model list beside a page starts closed,
 * so a change list's table gets the width of a 1366 px laptop; the « button opens it as usual.
 * Only the official's own click is remembered: the default chosen here is not stored. */
(function () {
  "use strict";
  var KEY = "django.admin.navSidebarIsOpen";
  var NARROW = 1500;
  try {
    if (window.localStorage.getItem(KEY) === null && window.innerWidth < NARROW) {
      window.localStorage.setItem(KEY, "false");
      document.addEventListener("DOMContentLoaded", function () {
        var toggle = document.getElementById("toggle-nav-sidebar");
        var clicked = false;
        if (toggle) {
          toggle.addEventListener("click", function () { clicked = true; });
        }
        // Forget the default once the page is set up (unless the official chose meanwhile).
        window.addEventListener("pagehide", function () {
          if (!clicked && window.localStorage.getItem(KEY) === "false") {
            window.localStorage.removeItem(KEY);
          }
        });
      });
    }
  } catch (e) {
    /* storage blocked: Django's default (open) applies */
  }
})();
