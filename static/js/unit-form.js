// Unit form (templates/portal/unit_form.html): kab/kota -> kecamatan -> desa selects filled from
// /portal/wilayah/<code>/. A file, not an inline script, under the CSP; texts come from data-*.
(function () {
  var form = document.getElementById("unit-form");
  if (!form) return;
  var base = form.dataset.childrenUrl;
  var status = document.getElementById("region-status");
  function fill(select, items, placeholder) {
    select.innerHTML = "";
    var first = document.createElement("option"); first.value = ""; first.textContent = placeholder; select.appendChild(first);
    items.forEach(function (it) { var o = document.createElement("option"); o.value = it.code; o.textContent = it.name; select.appendChild(o); });
  }
  function wire(parentId, childId, placeholder, clearIds) {
    var parent = document.getElementById(parentId), child = document.getElementById(childId);
    if (!parent || !child) return;
    parent.addEventListener("change", function () {
      clearIds.forEach(function (id) { fill(document.getElementById(id), [], document.getElementById(id).options[0].textContent); });
      if (!parent.value) { fill(child, [], placeholder); return; }
      if (status) status.textContent = form.dataset.loading;
      fetch(base.replace("KODE", encodeURIComponent(parent.value)), {headers: {"Accept": "application/json"}})
        .then(function (r) { return r.json(); })
        .then(function (data) {
          fill(child, data.children, placeholder);
          if (status) status.textContent = data.children.length + " " + form.dataset.loaded;
        });
    });
  }
  wire("id_kabupaten", "id_kecamatan", form.dataset.pickKecamatan, ["id_desa"]);
  wire("id_kecamatan", "id_desa", form.dataset.pickDesa, []);
})();
