"""The Griya IKM showroom's consignment ledger in the back-office (issue 16, item 3).

- **Nota titip** (``ConsignmentNote``): made on the add page (unit, remarks); its page lists the
  items with received/sold/returned/stock from the ledger, adds and removes items while the note
  is a draft, receives it (stock starts), records returns and corrections, and closes it. Every
  button posts to a small view that calls ``consignment.services``; nothing is a form field.
- **Buku stok** (``LedgerEntry``): the append-only ledger, read-only; its ``jual/`` page is the
  sale screen for a phone at the showroom counter (375 px, big buttons).
- **Setoran** (``Settlement``): opened for a unit and an ended month (figures from the ledger),
  payments recorded on its page, marked settled, receipt as a PDF.

Showroom staff are officials: both role groups hold the permissions
(``ikm.roles.CONSIGNMENT``); scope is the unit's kab/kota like every other page, so a
province official (the Griya IKM in Pontianak) keeps every unit's ledger and a kab/kota official
only their region's. Out of scope is 404.
"""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from backoffice.mixins import ReadOnlyAdminMixin, UnitScopedAdminMixin, scope_unit_field
from consignment import selectors, services, workflow
from consignment.models import ConsignmentItem, ConsignmentNote, LedgerEntry, Payment, Settlement
from consignment.receipt import settlement_lines, settlement_receipt_pdf
from core.formatting import rupiah
from core.forms import apply_service_errors
from ikm.selectors import filter_by_unit_scope
from products.models import Product

N = ConsignmentNote.Status
K = LedgerEntry.Kind
SALE_RESULTS = 20


def _errors(exc: ValidationError) -> list[str]:
    return list(exc.messages)


class _PostOnly:
    """Small POST handlers of a page: they call a service and go back with a message."""

    def _back(self, request, url: str, exc: ValidationError | PermissionDenied | None, ok: str):
        if exc is None:
            self.message_user(request, ok, messages.SUCCESS)
        elif isinstance(exc, PermissionDenied):
            raise Http404(_("Data tidak ditemukan."))
        else:
            for line in _errors(exc):
                self.message_user(request, line, messages.ERROR)
        return HttpResponseRedirect(url)


# --- notes ------------------------------------------------------------------------------------
class NoteAddForm(forms.ModelForm):
    class Meta:
        model = ConsignmentNote
        fields = ("unit", "remarks")


class ItemForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Produk"), queryset=Product.objects.none())
    quantity = forms.IntegerField(label=_("Jumlah"), min_value=1, max_value=services.MAX_QUANTITY)
    consignment_price = forms.IntegerField(label=_("Harga titip (Rp)"), min_value=0)
    selling_price = forms.IntegerField(label=_("Harga jual (Rp)"), min_value=0)

    def __init__(self, *args, unit_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(unit_id=unit_id).order_by("name")


@admin.register(ConsignmentNote)
class ConsignmentNoteAdmin(_PostOnly, UnitScopedAdminMixin, SimpleHistoryAdmin):
    form = NoteAddForm
    list_display = ("number", "unit", "status", "received_on", "created_at")
    list_display_links = ("number",)
    list_filter = ("status",)
    list_select_related = ("unit",)
    search_fields = ("number", "unit__name", "items__product__name")
    autocomplete_fields = ("unit",)
    view_on_site = False
    change_form_template = "admin/consignment/note_detail.html"

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["unit", "remarks"]
        return ["number", "unit", "status", "received_on", "remarks", "created_by", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.get_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "unit":
            scope_unit_field(request, field)
        return field

    def save_model(self, request, obj, form, change):
        if change:  # the page has no editable field: its buttons call the services
            return
        note = services.note_create(unit_id=obj.unit_id, official=request.user, remarks=obj.remarks)
        obj.pk = note.pk
        obj.refresh_from_db()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        note = self.get_object(request, object_id)  # 404 outside the official's scope
        items = list(
            selectors.items_with_figures(note.items.select_related("product")).order_by("line")
        )
        entries = list(
            LedgerEntry.objects.filter(item__note=note)
            .select_related("item__product", "recorded_by")
            .order_by("-occurred_at", "-pk")
        )
        can_change = self.has_change_permission(request, note)
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete_link": False,
            "title": _("Nota titip %(number)s") % {"number": note.number},
            "note": note,
            "items": items,
            "entries": entries,
            "history": list(note.status_changes.select_related("actor")),
            "verbs": workflow.note_verbs(note.status) if can_change else [],
            "editable": can_change and workflow.is_note_editable(note.status),
            "moving": can_change and workflow.note_moves_stock(note.status),
            "item_form": ItemForm(unit_id=note.unit_id),
            "today": timezone.localdate(),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/barang/tambah/",
                view(self.item_add_view),
                name="{}_{}_item_add".format(*info),
            ),
            path(
                "<path:object_id>/barang/<int:item_id>/hapus/",
                view(self.item_remove_view),
                name="{}_{}_item_remove".format(*info),
            ),
            path(
                "<path:object_id>/tindakan/<slug:verb>/",
                view(self.verb_view),
                name="{}_{}_verb".format(*info),
            ),
            path(
                "<path:object_id>/retur/",
                view(self.return_view),
                name="{}_{}_return".format(*info),
            ),
            path(
                "<path:object_id>/koreksi/",
                view(self.correction_view),
                name="{}_{}_correct".format(*info),
            ),
        ] + super().get_urls()

    def _note_for_post(self, request, object_id) -> ConsignmentNote:
        note = self.get_object(request, object_id)  # 404 outside scope
        if not self.has_change_permission(request, note):
            raise PermissionDenied
        return note

    def _change_url(self, note) -> str:
        return reverse("admin:consignment_consignmentnote_change", args=[note.pk])

    @staticmethod
    def _int(value) -> int | None:
        try:
            return int(value)
        except (TypeError, ValueError):
            return None

    def item_add_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        note = self._note_for_post(request, object_id)
        if request.method != "POST":
            return HttpResponseRedirect(self._change_url(note))
        form = ItemForm(request.POST, unit_id=note.unit_id)
        exc = None
        if form.is_valid():
            try:
                services.note_add_item(
                    note_id=note.pk,
                    official=request.user,
                    product_id=form.cleaned_data["product"].pk,
                    quantity=form.cleaned_data["quantity"],
                    consignment_price=form.cleaned_data["consignment_price"],
                    selling_price=form.cleaned_data["selling_price"],
                )
            except ValidationError as error:
                exc = error
        else:
            exc = ValidationError(
                [
                    f"{form.fields[name].label}: {' '.join(errs)}"
                    for name, errs in form.errors.items()
                ]
            )
        return self._back(request, self._change_url(note), exc, _("Barang ditambahkan ke nota."))

    def item_remove_view(self, request: HttpRequest, object_id: str, item_id: int) -> HttpResponse:
        note = self._note_for_post(request, object_id)
        if request.method != "POST":
            return HttpResponseRedirect(self._change_url(note))
        if not note.items.filter(pk=item_id).exists():
            raise Http404
        exc = None
        try:
            services.note_remove_item(item_id=item_id, official=request.user)
        except (ValidationError, PermissionDenied) as error:
            exc = error
        return self._back(request, self._change_url(note), exc, _("Barang dihapus dari nota."))

    def verb_view(self, request: HttpRequest, object_id: str, verb: str) -> HttpResponse:
        if verb not in workflow.NOTE_VERBS:
            raise Http404
        note = self._note_for_post(request, object_id)
        if request.method != "POST":
            return HttpResponseRedirect(self._change_url(note))
        exc = None
        try:
            if verb == "terima":
                received_on = None
                raw = request.POST.get("received_on", "")
                if raw:
                    try:
                        received_on = datetime.date.fromisoformat(raw)
                    except ValueError:
                        raise ValidationError(_("Tanggal diterima tidak valid.")) from None
                    if received_on > timezone.localdate():
                        raise ValidationError(_("Tanggal diterima tidak boleh di masa depan."))
                services.note_receive(
                    note_id=note.pk, official=request.user, received_on=received_on
                )
            else:
                services.note_close(
                    note_id=note.pk, official=request.user, remark=request.POST.get("remark", "")
                )
        except (ValidationError, PermissionDenied) as error:
            exc = error
        label, target = workflow.NOTE_VERBS[verb]
        return self._back(
            request,
            self._change_url(note),
            exc,
            _("Nota %(number)s: %(status)s.") % {"number": note.number, "status": N(target).label},
        )

    def return_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        note = self._note_for_post(request, object_id)
        if request.method != "POST" or not request.user.has_perm("consignment.add_ledgerentry"):
            return HttpResponseRedirect(self._change_url(note))
        item = note.items.filter(pk=self._int(request.POST.get("item"))).first()
        if item is None:
            raise Http404
        exc = None
        try:
            services.return_record(
                item_id=item.pk,
                official=request.user,
                quantity=request.POST.get("quantity"),
                remark=request.POST.get("remark", ""),
            )
        except (ValidationError, PermissionDenied) as error:
            exc = error
        return self._back(
            request, self._change_url(note), exc, _("Pengembalian barang ke unit dicatat.")
        )

    def correction_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        note = self._note_for_post(request, object_id)
        if request.method != "POST" or not request.user.has_perm("consignment.add_ledgerentry"):
            return HttpResponseRedirect(self._change_url(note))
        entry = LedgerEntry.objects.filter(
            item__note=note, pk=self._int(request.POST.get("entry"))
        ).first()
        if entry is None:
            raise Http404
        exc = None
        try:
            services.sale_correct(
                entry_id=entry.pk,
                official=request.user,
                quantity=request.POST.get("quantity"),
                remark=request.POST.get("remark", ""),
            )
        except (ValidationError, PermissionDenied) as error:
            exc = error
        return self._back(request, self._change_url(note), exc, _("Koreksi penjualan dicatat."))


# --- the ledger and the sale screen -----------------------------------------------------------
class SaleForm(forms.Form):
    quantity = forms.IntegerField(
        label=_("Jumlah"),
        min_value=1,
        max_value=services.MAX_QUANTITY,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "sale-qty"}),
        error_messages={
            "required": _("Isi jumlah yang terjual."),
            "invalid": _("Jumlah harus bilangan bulat."),
            "min_value": _("Jumlah paling sedikit 1."),
        },
    )


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdminMixin, UnitScopedAdminMixin, admin.ModelAdmin):
    """The append-only ledger: every receipt, sale, return and correction with its balance."""

    unit_path = "item__note__unit"
    list_display = (
        "occurred_at",
        "kind",
        "item_code",
        "product_name",
        "quantity",
        "balance_after",
        "owed_rupiah",
        "recorded_by",
    )
    list_filter = ("kind",)
    list_select_related = ("item__note__unit", "item__product", "recorded_by")
    search_fields = ("item__product__name", "item__note__number", "item__note__unit__name")
    date_hierarchy = "occurred_at"
    ordering = ("-occurred_at", "-pk")
    fields = (
        "item",
        "kind",
        "quantity",
        "stock_delta",
        "balance_after",
        "owed_delta",
        "sales_delta",
        "corrects",
        "remark",
        "occurred_at",
        "recorded_by",
    )
    readonly_fields = fields

    @admin.display(description=_("kode"), ordering="item__note__number")
    def item_code(self, obj: LedgerEntry) -> str:
        return obj.item.code

    @admin.display(description=_("produk"), ordering="item__product__name")
    def product_name(self, obj: LedgerEntry) -> str:
        return obj.item.product.name

    @admin.display(description=_("hak unit"), ordering="owed_delta")
    def owed_rupiah(self, obj: LedgerEntry) -> str:
        return rupiah(obj.owed_delta) if obj.owed_delta else "—"

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "sale_url": reverse("admin:consignment_ledgerentry_sale")
            if self.has_sale_permission(request)
            else "",
        }
        return super().changelist_view(request, extra_context)

    def has_sale_permission(self, request) -> bool:
        return self._allowed(request) and request.user.has_perm("consignment.add_ledgerentry")

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("jual/", view(self.sale_view), name="consignment_ledgerentry_sale"),
            path(
                "jual/<int:item_id>/",
                view(self.sale_item_view),
                name="consignment_ledgerentry_sale_item",
            ),
        ] + super().get_urls()

    def _sale_context(self, request, **extra) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "is_nav_sidebar_enabled": False,
            "sale_url": reverse("admin:consignment_ledgerentry_sale"),
            "month": selectors.month_figures(request.user),
            **extra,
        }

    def sale_view(self, request: HttpRequest) -> HttpResponse:
        """Search an item by name, unit or code (``NT-2026-000042/2``); big buttons to sell."""
        if not self.has_sale_permission(request):
            raise PermissionDenied
        query = request.GET.get("q", "").strip()[:100]
        items = list(selectors.sellable_items(request.user, query)[:SALE_RESULTS])
        return TemplateResponse(
            request,
            "admin/consignment/sale.html",
            self._sale_context(request, title=_("Jual di showroom"), query=query, items=items),
        )

    def sale_item_view(self, request: HttpRequest, item_id: int) -> HttpResponse:
        if not self.has_sale_permission(request):
            raise PermissionDenied
        item = (
            filter_by_unit_scope(request.user, ConsignmentItem.objects.all(), "note__unit")
            .select_related("note__unit", "product")
            .filter(pk=item_id)
            .first()
        )
        if item is None:
            raise Http404(_("Data tidak ditemukan."))
        form = SaleForm(request.POST or None)
        status = 200
        if request.method == "POST":
            if form.is_valid():
                try:
                    entry = services.sale_record(
                        item_id=item.pk,
                        official=request.user,
                        quantity=form.cleaned_data["quantity"],
                    )
                except ValidationError as exc:
                    apply_service_errors(form, exc)
                except PermissionDenied as exc:
                    raise Http404(_("Data tidak ditemukan.")) from exc
                else:
                    self.message_user(
                        request,
                        _("Terjual %(qty)s × %(name)s (%(total)s). Stok tinggal %(stock)s.")
                        % {
                            "qty": entry.quantity,
                            "name": item.product.name,
                            "total": rupiah(entry.sales_delta),
                            "stock": entry.balance_after,
                        },
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(reverse("admin:consignment_ledgerentry_sale"))
            status = 400
            item.refresh_from_db(fields=["stock"])
        return TemplateResponse(
            request,
            "admin/consignment/sale_item.html",
            self._sale_context(
                request,
                title=_("Jual: %(name)s") % {"name": item.product.name},
                item=item,
                form=form,
                quick=[q for q in (1, 2, 3, 5) if q <= max(item.stock, 1)],
            ),
            status=status,
        )


# --- settlements ----------------------------------------------------------------------------
class MonthInput(forms.DateInput):
    input_type = "month"

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return value.strftime("%Y-%m")
        return value


class MonthField(forms.DateField):
    widget = MonthInput
    input_formats = ["%Y-%m", "%m/%Y", "%Y-%m-%d"]

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace(day=1) if value else value


class SettlementAddForm(forms.ModelForm):
    month = MonthField(
        label=_("Bulan"),
        help_text=_("Bulan yang sudah berakhir, mis. 2026-11."),
        error_messages={"invalid": _("Tulis bulan sebagai TTTT-BB, mis. 2026-11.")},
    )

    class Meta:
        model = Settlement
        fields = ("unit", "month")

    def clean(self):
        data = super().clean()
        unit, month = data.get("unit"), data.get("month")
        if month and month >= timezone.localdate().replace(day=1):
            self.add_error(
                "month", _("Setoran dibuat sesudah bulannya berakhir (paling akhir bulan lalu).")
            )
        elif unit and month and Settlement.objects.filter(unit=unit, month=month).exists():
            self.add_error("month", _("Setoran bulan ini sudah ada untuk unit tersebut."))
        return data

    def validate_unique(self):  # the message above says it in our words
        pass


class PaymentForm(forms.Form):
    amount = forms.IntegerField(label=_("Jumlah (Rp)"), min_value=1)
    paid_on = forms.DateField(
        label=_("Tanggal bayar"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    method = forms.ChoiceField(label=_("Cara bayar"), choices=Payment.Method.choices)
    reference = forms.CharField(label=_("Referensi"), max_length=100, required=False)


@admin.register(Settlement)
class SettlementAdmin(_PostOnly, UnitScopedAdminMixin, SimpleHistoryAdmin):
    form = SettlementAddForm
    list_display = (
        "unit",
        "month_text",
        "status",
        "items_sold",
        "owed_rupiah",
        "paid_rupiah",
        "outstanding_rupiah",
    )
    list_filter = ("status", "month")
    list_select_related = ("unit",)
    search_fields = ("unit__name", "=unit__nib")
    autocomplete_fields = ("unit",)
    view_on_site = False
    change_form_template = "admin/consignment/settlement_detail.html"

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["unit", "month"]
        return [
            "unit",
            "month",
            "status",
            "items_sold",
            "sales_total",
            "owed",
            "paid",
            "settled_at",
            "created_by",
            "created_at",
        ]

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.get_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "unit":
            scope_unit_field(request, field)
        return field

    @admin.display(description=_("bulan"), ordering="month")
    def month_text(self, obj: Settlement) -> str:
        return obj.month.strftime("%m/%Y")

    @admin.display(description=_("hak unit"), ordering="owed")
    def owed_rupiah(self, obj: Settlement) -> str:
        return rupiah(obj.owed)

    @admin.display(description=_("dibayar"), ordering="paid")
    def paid_rupiah(self, obj: Settlement) -> str:
        return rupiah(obj.paid)

    @admin.display(description=_("sisa"))
    def outstanding_rupiah(self, obj: Settlement) -> str:
        return rupiah(obj.outstanding)

    def save_model(self, request, obj, form, change):
        if change:
            return
        settlement = services.settlement_open(
            unit_id=obj.unit_id, month=obj.month, official=request.user
        )
        obj.pk = settlement.pk
        obj.refresh_from_db()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        settlement = self.get_object(request, object_id)
        can_change = self.has_change_permission(request, settlement)

        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete_link": False,
            "title": _("Setoran %(ref)s") % {"ref": settlement.reference},
            "settlement": settlement,
            "lines": settlement_lines(settlement),
            "payments": list(settlement.payments.select_related("recorded_by")),
            "history": list(settlement.status_changes.select_related("actor")),
            "verbs": workflow.settlement_verbs(settlement.status) if can_change else [],
            "payment_form": PaymentForm(
                initial={"amount": settlement.outstanding, "paid_on": timezone.localdate()}
            )
            if can_change
            and settlement.status == Settlement.Status.OPEN
            and settlement.outstanding > 0
            and request.user.has_perm("consignment.add_payment")
            else None,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/bayar/",
                view(self.payment_view),
                name="{}_{}_payment".format(*info),
            ),
            path(
                "<path:object_id>/tindakan/<slug:verb>/",
                view(self.verb_view),
                name="{}_{}_verb".format(*info),
            ),
            path(
                "<path:object_id>/kuitansi.pdf",
                view(self.receipt_view),
                name="{}_{}_receipt".format(*info),
            ),
        ] + super().get_urls()

    def _url(self, settlement) -> str:
        return reverse("admin:consignment_settlement_change", args=[settlement.pk])

    def payment_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        settlement = self.get_object(request, object_id)
        if request.method != "POST":
            return HttpResponseRedirect(self._url(settlement))
        if not request.user.has_perm("consignment.add_payment"):
            raise PermissionDenied
        form = PaymentForm(request.POST)
        exc = None
        if form.is_valid():
            try:
                services.payment_record(
                    settlement_id=settlement.pk, official=request.user, **form.cleaned_data
                )
            except (ValidationError, PermissionDenied) as error:
                exc = error
        else:
            exc = ValidationError(
                [
                    f"{form.fields[name].label}: {' '.join(errs)}"
                    for name, errs in form.errors.items()
                ]
            )
        return self._back(request, self._url(settlement), exc, _("Pembayaran dicatat."))

    def verb_view(self, request: HttpRequest, object_id: str, verb: str) -> HttpResponse:
        if verb not in workflow.SETTLEMENT_VERBS:
            raise Http404
        settlement = self.get_object(request, object_id)
        if request.method != "POST":
            return HttpResponseRedirect(self._url(settlement))
        if not self.has_change_permission(request, settlement):
            raise PermissionDenied
        exc = None
        try:
            services.settlement_settle(
                settlement_id=settlement.pk,
                official=request.user,
                remark=request.POST.get("remark", ""),
            )
        except (ValidationError, PermissionDenied) as error:
            exc = error
        return self._back(request, self._url(settlement), exc, _("Setoran ditandai lunas."))

    def receipt_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        settlement = self.get_object(request, object_id)  # 404 outside scope
        response = HttpResponse(settlement_receipt_pdf(settlement), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="kuitansi-{settlement.reference}.pdf"'
        return response
