// Filter panels start open on wide screens (closed on phones to keep the results in view).
(function () {
  if (!window.matchMedia("(min-width: 48em)").matches) return;
  document.querySelectorAll("details[data-open-wide]").forEach(function (d) { d.open = true; });
})();
