/* The import's mapping screen (templates/admin/import_export/_mapping.html): when the official
   changes a column's choice, its row is shown as read or ignored and the list "Kolom diabaikan"
   follows. Delegated from the document: the screen arrives by htmx when the inspect job ends. */
(function () {
  "use strict";
  function refresh(form) {
    var ignored = [];
    form.querySelectorAll("#mapping-table tbody tr").forEach(function (row) {
      var select = row.querySelector("select");
      var header = row.getAttribute("data-header") || "";
      var isIgnored = select && !select.value;
      row.classList.toggle("ignored", !!isIgnored);
      row.classList.toggle("mapped", !isIgnored);
      if (isIgnored && header) {
        ignored.push(header);
      }
    });
    var list = document.getElementById("mapping-ignored-list");
    var block = document.getElementById("mapping-ignored");
    if (list && block) {
      list.textContent = ignored.join(", ");
      block.hidden = ignored.length === 0;
    }
  }
  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("#import-mapping");
    if (form && event.target.tagName === "SELECT") {
      refresh(form);
    }
  });
})();
