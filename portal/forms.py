"""Owner portal forms: unit (with a kab/kota → kecamatan → desa chooser), claim, product, links."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import ConstraintErrorsMixin, VersionedFormMixin
from core.text import LONG_TEXT_MAX
from ikm.identifiers import normalize_nik
from ikm.models import UNIT_COORDINATE_FIELDS, IKMUnit, Region, unit_fields
from ikm.rules import NIB_REGEX, PROVINCE_CODE
from products.models import Marketplace, Product
from products.services import validate_marketplace_url


class NoSilentCutMixin:
    """A length limit is shown (a counter, static/js/portal-forms.js) and enforced by the
    server with a message beside the field, never by a browser ``maxlength`` that cuts a pasted
    text without a word: the limit moves to ``data-maxlength``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            limit = field.widget.attrs.pop("maxlength", None)
            if limit and not field.widget.is_hidden:
                field.widget.attrs["data-maxlength"] = limit


NIK_HELP = _("16 digit. Disimpan terenkripsi dan tidak pernah tampil di halaman publik.")


class UnitForm(NoSilentCutMixin, ConstraintErrorsMixin, VersionedFormMixin, forms.ModelForm):
    # The model's checks, beside the field they are about (not only at the top, issue 14).
    constraint_errors = {
        "ikmunit_desa_is_desa_or_kelurahan": ("desa", None),
        "ikmunit_nib_13_digits": ("nib", None),
        "ikmunit_kbli_5_digits": ("kbli", None),
        "ikmunit_investment_not_negative": (
            "investment",
            _("Nilai investasi tidak boleh negatif."),
        ),
        "ikmunit_production_value_not_negative": (
            "production_value",
            _("Nilai produksi tidak boleh negatif."),
        ),
        "ikmunit_capacity_not_negative": ("capacity", _("Kapasitas tidak boleh negatif.")),
        "ikmunit_year_established_range": ("year_established", None),
    }
    version_hidden_fields = ("nik_ciphertext", "nik_digest")
    version_hide_staff_names = True
    kabupaten = forms.ModelChoiceField(
        label=_("Kabupaten/kota"),
        queryset=Region.objects.none(),
        empty_label=_("— pilih kabupaten/kota —"),
    )
    kecamatan = forms.ModelChoiceField(
        label=_("Kecamatan"),
        queryset=Region.objects.none(),
        empty_label=_("— pilih kecamatan —"),
    )
    desa = forms.ModelChoiceField(
        label=_("Desa/kelurahan"),
        queryset=Region.objects.none(),
        empty_label=_("— pilih desa/kelurahan —"),
    )
    nik = forms.CharField(
        label=_("NIK pemilik (tidak wajib)"),
        required=False,
        max_length=16,
        help_text=NIK_HELP,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    class Meta:
        model = IKMUnit
        # What an owner may edit, less the map position (not asked here). Laid out by FIELDSETS.
        fields = list(unit_fields(without=UNIT_COORDINATE_FIELDS))
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "nib": {"unique": _("NIB ini sudah terdaftar pada unit lain di portal ini.")},
        }

    field_order = ["name", "owner_name", "nik", "nib", "kabupaten", "kecamatan", "desa"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        regions = Region.objects.only("code", "name", "level", "parent_id").order_by("name")
        self.fields["kabupaten"].queryset = regions.filter(parent_id=PROVINCE_CODE)
        kab_code = self._chosen("kabupaten")
        kec_code = self._chosen("kecamatan")
        if self.instance.pk and self.instance.desa_id and not self.is_bound:
            kec_code = self.instance.desa_id[:8]
            kab_code = self.instance.desa_id[:5]
            self.initial.update({"kabupaten": kab_code, "kecamatan": kec_code})
        self.fields["kecamatan"].queryset = (
            regions.filter(parent_id=kab_code) if kab_code else regions.none()
        )
        self.fields["desa"].queryset = (
            regions.filter(parent_id=kec_code) if kec_code else regions.none()
        )
        self.fields["kabupaten"].widget.attrs["data-children"] = "id_kecamatan"
        self.fields["kecamatan"].widget.attrs["data-children"] = "id_desa"
        self.fields["nib"].help_text = _("13 digit, bila sudah punya.")
        self.fields["phone_public"].help_text = _("Tampilkan telepon usaha di halaman publik.")
        self.fields["whatsapp_public"].help_text = _("Tampilkan tombol WhatsApp di halaman publik.")
        self.fields["email_public"].help_text = _("Tampilkan email usaha di halaman publik.")
        self.fields["owner_address"].help_text = _("Data pribadi: hanya untuk petugas Dinas.")
        self.fields["owner_phone"].help_text = _("Data pribadi: hanya untuk petugas Dinas.")
        if self.instance.pk and (self.instance.nik_pending_last4 or self.instance.nik_last4):
            stored = _("Tersimpan: %(masked)s. Kosongkan bila tidak ingin mengubahnya.") % {
                "masked": self.instance.nik_masked_for_owner
            }
            self.fields["nik"].help_text = f"{NIK_HELP} {stored}"

    @property
    def nib_taken(self) -> bool:
        """The NIB is another unit's: the form offers "klaim unit ini" beside the field."""
        return any(e.code == "unique" for e in self.errors.as_data().get("nib", []))

    FIELDSETS = (
        (_("Identitas usaha"), ("name", "owner_name", "nik", "nib", "npwp", "kbli")),
        (_("Lokasi"), ("kabupaten", "kecamatan", "desa", "address")),
        (_("Usaha"), ("commodity_group", "description", "year_established")),
        (
            _("Kontak dan yang tampil di situs publik"),
            (
                "phone",
                "phone_public",
                "whatsapp",
                "whatsapp_public",
                "email",
                "email_public",
                "website",
            ),
        ),
        (_("Data pribadi pemilik (hanya untuk Dinas)"), ("owner_address", "owner_phone")),
        (
            _("Skala dan produksi"),
            ("workers", "investment", "capacity", "capacity_unit", "production_value"),
        ),
    )

    def fieldsets(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.FIELDSETS]

    def _chosen(self, name: str) -> str | None:
        if self.is_bound:
            return self.data.get(self.add_prefix(name)) or None
        value = self.initial.get(name)
        return getattr(value, "pk", value) or None

    def clean_nib(self):
        return self.cleaned_data.get("nib") or None

    def clean_nik(self) -> str:
        raw = (self.cleaned_data.get("nik") or "").strip()
        if raw:
            # Checked by meaning (ikm.identifiers). Whether another unit holds it is never said
            # here (issue 13): the service keeps such a NIK pending for an official.
            normalize_nik(raw)
        return raw

    def clean(self):
        cleaned = super().clean()
        kab, kec, desa = cleaned.get("kabupaten"), cleaned.get("kecamatan"), cleaned.get("desa")
        if kab and kec and kec.parent_id != kab.pk:
            self.add_error("kecamatan", _("Kecamatan ini tidak berada di kabupaten/kota itu."))
        if kec and desa and desa.parent_id != kec.pk:
            self.add_error("desa", _("Desa/kelurahan ini tidak berada di kecamatan itu."))
        return cleaned

    def merge_field_value(self, name: str, value) -> None:
        """Someone else moved the unit and the owner left the location alone: show the new
        desa with its kecamatan and kab/kota chosen."""
        super().merge_field_value(name, value)
        if name == "desa" and value:
            regions = Region.objects.only("code", "name", "level", "parent_id").order_by("name")
            kec_code, kab_code = str(value)[:8], str(value)[:5]
            super().merge_field_value("kecamatan", kec_code)
            super().merge_field_value("kabupaten", kab_code)
            self.fields["kecamatan"].queryset = regions.filter(parent_id=kab_code)
            self.fields["desa"].queryset = regions.filter(parent_id=kec_code)

    def service_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        return data


class ClaimForm(NoSilentCutMixin, forms.Form):
    nib = forms.RegexField(
        label=_("NIB unit yang ingin Anda kelola"),
        regex=NIB_REGEX,
        error_messages={"invalid": _("NIB harus 13 digit angka.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    note = forms.CharField(
        label=_("Keterangan untuk petugas (tidak wajib)"),
        required=False,
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ProductForm(NoSilentCutMixin, ConstraintErrorsMixin, VersionedFormMixin, forms.ModelForm):
    constraint_errors = {
        "product_price_not_negative": ("price", _("Harga tidak boleh negatif.")),
    }
    version_hide_staff_names = True

    class Meta:
        model = Product
        fields = ["name", "category", "description", "price", "price_unit", "is_published"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "is_published": _(
                "Tampilkan produk di katalog publik (setelah unit Anda diverifikasi Dinas)."
            ),
        }

    def product_fields(self) -> dict:
        """The product's own fields for the service (not the hidden version)."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class PhotoForm(NoSilentCutMixin, forms.Form):
    image = forms.FileField(
        label=_("Foto produk"),
        help_text=_("JPEG, PNG atau WebP; paling besar 8 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    alt_text = forms.CharField(
        label=_("Keterangan foto (untuk pembaca layar)"), required=False, max_length=200
    )


class MarketplaceLinkForm(NoSilentCutMixin, forms.Form):
    platform = forms.ChoiceField(label=_("Marketplace"), choices=Marketplace.choices)
    url = forms.URLField(label=_("Tautan toko/produk"), max_length=500, assume_scheme="https")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("platform") and cleaned.get("url"):
            try:
                cleaned["url"] = validate_marketplace_url(cleaned["platform"], cleaned["url"])
            except ValidationError as exc:
                self.add_error(None, exc)
        return cleaned
