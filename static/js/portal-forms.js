// Owner portal forms (templates/portal/_layout.html), a file under the CSP (no inline script).
// 1. A length limit is shown as a counter and never cuts text silently: a browser `maxlength`
//    truncates a paste without a word, so the limit moves to data-maxlength and the server
//    refuses what is too long, with a message beside the field.
// 2. The portal menu is open on wide screens.
// 3. The error summary at the top of a re-shown form takes the focus, so it is read first.
(function () {
  "use strict";
  var root = document.querySelector(".portal");
  if (!root) return;
  var text = root.getAttribute("data-counter") || "%(n)s / %(max)s";
  var overText = root.getAttribute("data-counter-over") || "%(n)s / %(max)s";

  function fill(template, n, max) {
    return template.replace("%(n)s", n).replace("%(max)s", max).replace("%(over)s", n - max);
  }

  root.querySelectorAll("input[maxlength], textarea[maxlength], [data-maxlength]").forEach(function (el) {
    var max = parseInt(el.getAttribute("data-maxlength") || el.getAttribute("maxlength"), 10);
    if (!max || el.type === "hidden" || el.type === "password") return;
    el.removeAttribute("maxlength");
    el.setAttribute("data-maxlength", String(max));
    var counter = document.createElement("span");
    counter.className = "counter";
    counter.id = (el.id || el.name) + "_counter";
    el.insertAdjacentElement("afterend", counter);
    var described = el.getAttribute("aria-describedby");
    el.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
    var wasOver = null;
    function update() {
      var n = el.value.length;
      var over = n > max;
      counter.textContent = fill(over ? overText : text, n, max);
      counter.classList.toggle("over", over);
      // Announce crossing the limit, not every key.
      if (over !== wasOver) counter.setAttribute("aria-live", over ? "assertive" : "off");
      wasOver = over;
    }
    el.addEventListener("input", update);
    update();
  });

  // The portal menu starts open on wide screens (a disclosure on phones, content first).
  if (window.matchMedia("(min-width: 48em)").matches) {
    root.querySelectorAll("details[data-open-wide]").forEach(function (d) { d.open = true; });
  }

  var summary = root.querySelector("[data-error-summary]");
  if (summary) summary.focus();
})();
