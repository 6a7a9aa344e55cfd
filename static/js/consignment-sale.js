// The sale screen (templates/admin/consignment/sale_item.html): one tap, one sale. After a form
// is sent its buttons are disabled, so a double tap on "Jual 2" does not record two sales.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.closest(".kns-sale")) return;
  if (form.dataset.sent) { event.preventDefault(); return; }
  form.dataset.sent = "1";
  window.setTimeout(function () {
    document.querySelectorAll(".kns-sale button[type=submit]").forEach(function (b) { b.disabled = true; });
  }, 0);
});
