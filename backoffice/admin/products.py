"""Back-office admin for products, with their photos and marketplace links inline.

Scoped to the official's region through the product's unit. Publishing and *produk terseleksi*
are admin actions calling ``products.services.product_curate`` (history rows record who and when).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from backoffice.importexport import ScopedImportExportMixin
from backoffice.mixins import (
    UnitScopedAdminMixin,
    VersionedInlineMixin,
    region_filters,
    region_names,
    scope_unit_field,
)
from core.formatting import rupiah
from core.forms import ConstraintModelForm
from ikm import services as ikm_services
from products import services as product_services
from products.images import _read_upload, photo_add, photo_delete, process_image
from products.models import MARKETPLACE_HOSTS, MarketplaceLink, Product, ProductPhoto
from products.resources import ProductResource


class ProductAdminForm(ConstraintModelForm):
    constraint_errors = {"product_price_not_negative": ("price", None)}

    class Meta:
        model = Product
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _("Kosongkan: dibuat otomatis dari nama produk.")

    def clean_price(self):
        price = self.cleaned_data.get("price")
        if price is not None and price < 0:
            raise ValidationError(_("Harga tidak boleh negatif."), code="negative")
        return price

    def clean(self):
        cleaned = super().clean()
        if "slug" in self.fields and not cleaned.get("slug") and cleaned.get("name"):
            cleaned["slug"] = ikm_services.unique_slug(
                Product, cleaned["name"], exclude_pk=self.instance.pk
            )
        return cleaned


class ProductPhotoForm(forms.ModelForm):
    """A new photo is checked and normalised (``products.images``) before anything is stored."""

    class Meta:
        model = ProductPhoto
        fields = ("image", "alt_text", "position")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.processed = None

    def clean_image(self):
        image = self.cleaned_data.get("image")
        uploaded = self.files.get(self.add_prefix("image")) if self.files else None
        if uploaded is None:
            return image
        self.processed = process_image(_read_upload(uploaded))  # ValidationError in Indonesian
        uploaded.seek(0)
        return image


class ProductPhotoInline(VersionedInlineMixin, admin.TabularInline):
    model = ProductPhoto
    form = ProductPhotoForm
    fields = ("image", "alt_text", "position", "width", "height")
    readonly_fields = ("width", "height")
    extra = 0


class MarketplaceLinkForm(ConstraintModelForm):
    constraint_errors = {
        "marketplacelink_url_is_https_or_http": (
            "url",
            _("Tautan harus diawali https:// atau http://."),
        ),
        "marketplacelink_unique_product_platform_url": (
            "url",
            _("Tautan ini sudah tercatat untuk produk ini."),
        ),
    }

    class Meta:
        model = MarketplaceLink
        fields = ("platform", "url")

    def clean(self):
        cleaned = super().clean()
        platform, url = cleaned.get("platform"), cleaned.get("url")
        hosts = MARKETPLACE_HOSTS.get(platform) if platform else None
        if url and hosts:
            from urllib.parse import urlsplit

            host = (urlsplit(url).hostname or "").lower()
            if not any(host == h or host.endswith("." + h) for h in hosts):
                self.add_error(
                    "url",
                    _("Tautan %(platform)s harus mengarah ke %(hosts)s.")
                    % {
                        "platform": dict(self.fields["platform"].choices)[platform],
                        "hosts": " atau ".join(hosts),
                    },
                )
        return cleaned


class MarketplaceLinkInline(VersionedInlineMixin, admin.TabularInline):
    model = MarketplaceLink
    form = MarketplaceLinkForm
    fields = ("platform", "url")
    extra = 0


ProductKabFilter, ProductKecFilter = region_filters("unit__kabupaten_code", "unit__kecamatan_code")


@admin.register(Product)
class ProductAdmin(UnitScopedAdminMixin, ScopedImportExportMixin, SimpleHistoryAdmin):
    form = ProductAdminForm
    resource_classes = [ProductResource]
    list_display = (
        "name",
        "unit",
        "kabupaten_name",
        "category",
        "price_rupiah",
        "price_unit",
        "is_published",
        "is_selected",
    )
    list_filter = (
        ProductKabFilter,
        ProductKecFilter,
        "category",
        "is_published",
        "is_selected",
        "unit__verified",
    )
    search_fields = ("name", "unit__name", "=unit__nib")
    list_select_related = ("unit__desa__parent__parent",)
    autocomplete_fields = ("unit",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = (ProductPhotoInline, MarketplaceLinkInline)
    actions = ("publish", "unpublish", "mark_selected", "unmark_selected")
    fields = (
        "unit",
        "name",
        "slug",
        "category",
        "description",
        "price",
        "price_unit",
        "is_published",
        "is_selected",
        "created_at",
        "updated_at",
    )
    readonly_fields = ("created_at", "updated_at")

    @admin.display(description=_("harga"), ordering="price")
    def price_rupiah(self, obj: Product) -> str:
        return rupiah(obj.price) or "—"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "unit":
            scope_unit_field(request, field)
        return field

    @admin.display(description=_("kabupaten/kota"))
    def kabupaten_name(self, obj):
        return region_names(obj.unit.desa)[2]

    def save_formset(self, request, form, formset, change):
        if formset.model is not ProductPhoto:
            return super().save_formset(request, form, formset, change)
        instances = formset.save(commit=False)
        for photo in formset.deleted_objects:
            photo_delete(photo=photo)
        for photo_form in formset.forms:
            processed = getattr(photo_form, "processed", None)
            if photo_form in formset.deleted_forms or not photo_form.has_changed():
                continue
            if processed is not None:
                if photo_form.instance.pk:
                    photo_delete(photo=photo_form.instance)
                photo_add(
                    product=form.instance,
                    processed=processed,
                    alt_text=photo_form.cleaned_data.get("alt_text", ""),
                    position=photo_form.cleaned_data.get("position") or 0,
                )
            elif photo_form.instance in instances:
                photo_form.instance.save()
        formset.save_m2m()

    def _curate(self, request, queryset, message, **flags):
        done = 0
        try:
            for pk in queryset.values_list("pk", flat=True):
                product_services.product_curate(product_id=pk, official=request.user, **flags)
                done += 1
        except PermissionDenied:
            self.message_user(request, _("Ada produk di luar wilayah kerja Anda."), messages.ERROR)
            return
        self.message_user(request, message % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Tayangkan produk terpilih"), permissions=["change"])
    def publish(self, request, queryset):
        self._curate(request, queryset, _("%(count)d produk ditayangkan."), is_published=True)

    @admin.action(description=_("Sembunyikan produk terpilih"), permissions=["change"])
    def unpublish(self, request, queryset):
        self._curate(request, queryset, _("%(count)d produk disembunyikan."), is_published=False)

    @admin.action(description=_("Tandai sebagai produk terseleksi"), permissions=["change"])
    def mark_selected(self, request, queryset):
        self._curate(
            request, queryset, _("%(count)d produk ditandai terseleksi."), is_selected=True
        )

    @admin.action(description=_("Hapus tanda produk terseleksi"), permissions=["change"])
    def unmark_selected(self, request, queryset):
        self._curate(
            request, queryset, _("%(count)d produk tidak lagi terseleksi."), is_selected=False
        )
