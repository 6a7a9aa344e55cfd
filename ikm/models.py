from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Left
from django.db.models.lookups import Regex
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.formatting import region_text
from core.text import LONG_TEXT_MAX, NameField, long_text_validators

from . import rules
from .fields import PhoneField
from .identifiers import phone_display, validate_year_established


class CommodityGroup(models.TextChoices):
    """Commodity groups used by e-Smart IKM (Kemenperin)."""

    KOSMETIK = "kosmetik", _("Kosmetik")
    FASHION = "fashion", _("Fesyen")
    MAKANAN = "makanan", _("Makanan")
    MINUMAN = "minuman", _("Minuman")
    KERAJINAN = "kerajinan", _("Kerajinan")
    PERHIASAN = "perhiasan", _("Perhiasan")
    FURNITUR = "furnitur", _("Furnitur")
    HERBAL = "herbal", _("Herbal")
    PRODUK_LOGAM = "produk_logam", _("Produk logam")


class Region(models.Model):
    """A Kemendagri region; the dotted code is the key (``61.71.01.1001``)."""

    class Level(models.TextChoices):
        PROVINSI = "provinsi", _("Provinsi")
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")
        KECAMATAN = "kecamatan", _("Kecamatan")
        DESA = "desa", _("Desa")
        KELURAHAN = "kelurahan", _("Kelurahan")

    code = models.CharField(_("kode wilayah"), max_length=13, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)
    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("induk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                name="region_code_format", condition=Q(code__regex=rules.REGION_CODE_REGEX)
            ),
            # The level follows from the shape of the code (see data/regions/README.md).
            models.CheckConstraint(
                name="region_level_matches_code",
                condition=(
                    Q(level="provinsi", code__regex=r"^[0-9]{2}$")
                    | Q(level="kabupaten", code__regex=r"^[0-9]{2}\.([0-6][0-9]|70)$")
                    | Q(level="kota", code__regex=r"^[0-9]{2}\.(7[1-9]|[89][0-9])$")
                    | Q(level="kecamatan", code__regex=r"^[0-9]{2}\.[0-9]{2}\.[0-9]{2}$")
                    | Q(level="kelurahan", code__regex=r"^[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.1[0-9]{3}$")
                    | Q(level="desa", code__regex=r"^[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[02-9][0-9]{3}$")
                ),
            ),
            models.CheckConstraint(
                name="region_parent_is_code_prefix",
                condition=Q(parent__isnull=True, level="provinsi")
                | Q(parent__isnull=False, code__startswith=models.F("parent_id")),
            ),
        ]
        indexes = [
            # Region pages: children of a region by name.
            models.Index(fields=["parent", "name"], name="region_parent_name_idx"),
            models.Index(fields=["level"], name="region_level_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("public:region_detail", kwargs={"code": self.code})

    @property
    def is_kabupaten_kota(self) -> bool:
        return self.level in (self.Level.KABUPATEN, self.Level.KOTA)

    @property
    def label(self) -> str:
        """Name with its level where the name does not carry it (``Kecamatan Sambas``): the rule
        of ``core.formatting.region_text`` (template filter ``wilayah``)."""
        return region_text(self)


class RegionAlias(models.Model):
    """Another name of a region, saved once by an official ("Kalinilam" for Kali Nilam).

    The spreadsheet import (``ikm.importing.RegionIndex``) reads it like the official name,
    among the region's siblings: an alias is unique within its parent (``scope``).
    """

    alias = models.CharField(_("nama lain"), max_length=100)
    alias_key = models.CharField(_("kunci nama"), max_length=100, editable=False)
    region = models.ForeignKey(
        Region, verbose_name=_("wilayah"), on_delete=models.CASCADE, related_name="aliases"
    )
    scope = models.ForeignKey(
        Region,
        verbose_name=_("berlaku di"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Induk wilayah: nama lain berlaku di antara wilayah di bawah induk ini."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("nama lain wilayah")
        verbose_name_plural = _("nama lain wilayah")
        ordering = ["region_id", "alias"]
        constraints = [
            models.UniqueConstraint(
                fields=["alias_key", "scope"],
                name="regionalias_unique_in_scope",
                nulls_distinct=False,
                violation_error_message=_(
                    "Nama lain ini sudah dipakai untuk wilayah lain di induk yang sama."
                ),
            ),
            models.CheckConstraint(name="regionalias_key_not_blank", condition=~Q(alias_key="")),
        ]

    def __str__(self) -> str:
        return f"{self.alias} → {self.region_id}"

    def save(self, *args, **kwargs):
        self.fill_key()
        super().save(*args, **kwargs)

    @staticmethod
    def group_for(level: str) -> str:
        return {"kota": "kabupaten", "kelurahan": "desa", "kabupaten": "kabupaten"}.get(
            level, level
        )

    def fill_key(self) -> None:
        """``alias_key`` and ``scope`` from the alias and the region (called by clean and save)."""
        from .regionnames import name_key

        if self.region_id:
            region = self.region
            self.scope_id = region.parent_id
            self.alias_key = name_key(self.alias, self.group_for(region.level))[:100]

    def clean(self):
        from django.core.exceptions import ValidationError

        if not self.region_id:
            return
        if self.region.level == Region.Level.PROVINSI:
            raise ValidationError({"region": _("Nama lain hanya untuk kab/kota, kecamatan, desa.")})
        self.fill_key()
        if not self.alias_key:
            raise ValidationError({"alias": _("Nama lain harus berisi huruf atau angka.")})
        from .regionnames import name_key

        taken = (
            RegionAlias.objects.filter(alias_key=self.alias_key, scope_id=self.scope_id)
            .exclude(pk=self.pk)
            .select_related("region")
            .first()
        )
        if taken is not None:
            raise ValidationError(
                {
                    "alias": _("Nama lain ini sudah dipakai untuk %(name)s (%(code)s).")
                    % {"name": taken.region.name, "code": taken.region_id}
                }
            )
        if self.alias_key == name_key(self.region.name, self.group_for(self.region.level)):
            raise ValidationError(
                {
                    "alias": _("Nama ini sudah terbaca sebagai %(name)s tanpa nama lain.")
                    % {"name": self.region.name}
                }
            )


class Sentra(models.Model):
    """A sentra IKM: a cluster of at least five similar units in one place."""

    name = NameField(_("nama sentra"), max_length=150)
    desa = models.ForeignKey(
        Region, verbose_name=_("desa/kelurahan"), on_delete=models.PROTECT, related_name="sentra"
    )
    commodity_group = models.CharField(
        _("kelompok komoditas"), max_length=20, choices=CommodityGroup.choices
    )
    description = models.TextField(
        _("keterangan"), blank=True, max_length=LONG_TEXT_MAX, validators=long_text_validators()
    )

    class Meta:
        verbose_name = _("sentra IKM")
        verbose_name_plural = _("sentra IKM")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "desa"], name="sentra_unique_name_desa"),
            models.CheckConstraint(
                name="sentra_desa_is_level4", condition=Regex(F("desa_id"), rules.DESA_CODE_REGEX)
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Scale(models.TextChoices):
    KECIL = "kecil", _("Industri kecil")
    MENENGAH = "menengah", _("Industri menengah")
    BESAR = "besar", _("Di atas batas IKM")


class IKMUnitQuerySet(models.QuerySet):
    def public(self) -> IKMUnitQuerySet:
        return self.filter(verified=True)


class IKMUnit(models.Model):
    """An IKM business unit (unit usaha), located at a desa/kelurahan."""

    name = NameField(_("nama usaha"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    owner_name = NameField(_("nama pemilik/penanggung jawab"), max_length=150)
    # Personal data (UU 27/2022): NIK is sealed (see ikm/nik.py), never stored in clear text.
    nik_ciphertext = models.TextField(_("NIK (terenkripsi)"), blank=True, editable=False)
    nik_digest = models.CharField(_("HMAC NIK"), max_length=64, blank=True, editable=False)
    nik_last4 = models.CharField(_("4 digit akhir NIK"), max_length=4, blank=True, editable=False)
    # A NIK the owner gave in the portal that another unit already holds (issue 13): kept sealed
    # here, not on the unit, for an official to decide; the owner is told nothing different.
    nik_pending_ciphertext = models.TextField(
        _("NIK menunggu pemeriksaan (terenkripsi)"), blank=True, editable=False
    )
    nik_pending_digest = models.CharField(
        _("HMAC NIK menunggu pemeriksaan"), max_length=64, blank=True, editable=False
    )
    nik_pending_last4 = models.CharField(
        _("4 digit akhir NIK menunggu pemeriksaan"), max_length=4, blank=True, editable=False
    )
    owner_address = models.CharField(_("alamat rumah pemilik"), max_length=255, blank=True)
    owner_phone = PhoneField(_("telepon pribadi pemilik"), max_length=20, blank=True)

    nib = models.CharField(
        _("NIB"),
        max_length=13,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Nomor Induk Berusaha, 13 digit."),
    )
    npwp = models.CharField(_("NPWP"), max_length=16, blank=True)
    kbli = models.CharField(
        _("KBLI"),
        max_length=5,
        blank=True,
        help_text=_("Kode Baku Lapangan Usaha Indonesia, 5 digit."),
    )
    commodity_group = models.CharField(
        _("kelompok komoditas"), max_length=20, choices=CommodityGroup.choices
    )
    description = models.TextField(
        _("deskripsi usaha"),
        blank=True,
        max_length=LONG_TEXT_MAX,
        validators=long_text_validators(),
    )

    address = models.CharField(_("alamat usaha"), max_length=255, blank=True)
    desa = models.ForeignKey(
        Region, verbose_name=_("desa/kelurahan"), on_delete=models.PROTECT, related_name="units"
    )
    # Derived by PostgreSQL from the desa code: kab/kota and kecamatan filters use these.
    kabupaten_code = models.GeneratedField(
        expression=Left("desa_id", 5),
        output_field=models.CharField(max_length=5),
        db_persist=True,
        verbose_name=_("kode kab/kota"),
    )
    kecamatan_code = models.GeneratedField(
        expression=Left("desa_id", 8),
        output_field=models.CharField(max_length=8),
        db_persist=True,
        verbose_name=_("kode kecamatan"),
    )
    latitude = models.DecimalField(
        _("lintang"), max_digits=8, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("bujur"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    phone = PhoneField(_("telepon usaha"), max_length=20, blank=True)
    whatsapp = PhoneField(
        _("WhatsApp usaha"),
        max_length=20,
        blank=True,
        help_text=_("Nomor HP, mis. 0812-3456-7890; disimpan sebagai +6281234567890."),
    )
    email = models.EmailField(_("email usaha"), blank=True)
    website = models.URLField(_("situs web"), blank=True)
    phone_public = models.BooleanField(_("tampilkan telepon"), default=False)
    whatsapp_public = models.BooleanField(_("tampilkan WhatsApp"), default=True)
    email_public = models.BooleanField(_("tampilkan email"), default=False)

    year_established = models.PositiveSmallIntegerField(
        _("tahun berdiri"), null=True, blank=True, validators=[validate_year_established]
    )
    workers = models.PositiveIntegerField(_("tenaga kerja"), null=True, blank=True)
    investment = models.BigIntegerField(
        _("nilai investasi (Rp)"),
        null=True,
        blank=True,
        help_text=_("Tidak termasuk tanah dan bangunan."),
    )
    capacity = models.DecimalField(
        _("kapasitas produksi/tahun"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    capacity_unit = models.CharField(_("satuan kapasitas"), max_length=30, blank=True)
    production_value = models.BigIntegerField(_("nilai produksi/tahun (Rp)"), null=True, blank=True)
    scale = models.GeneratedField(
        expression=models.Case(
            models.When(Q(workers__isnull=True) | Q(investment__isnull=True), then=None),
            models.When(
                Q(
                    workers__lte=rules.SMALL_MAX_WORKERS,
                    investment__lt=rules.SMALL_MAX_INVESTMENT_EXCLUSIVE,
                ),
                then=models.Value(Scale.KECIL.value),
            ),
            models.When(
                Q(workers__lte=rules.SMALL_MAX_WORKERS)
                | Q(investment__lte=rules.MEDIUM_MAX_INVESTMENT),
                then=models.Value(Scale.MENENGAH.value),
            ),
            default=models.Value(Scale.BESAR.value),
        ),
        output_field=models.CharField(max_length=10, choices=Scale.choices),
        db_persist=True,
        verbose_name=_("skala"),
    )
    sentra = models.ForeignKey(
        Sentra,
        verbose_name=_("sentra IKM"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="units",
    )

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("akun pemilik"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ikm_units",
    )
    verified = models.BooleanField(_("terverifikasi"), default=False)
    verified_at = models.DateTimeField(_("diverifikasi pada"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diverifikasi oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["kabupaten_code", "kecamatan_code", "scale"])
    objects = IKMUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit IKM")
        verbose_name_plural = _("unit IKM")
        ordering = ["name"]
        permissions = [
            ("view_nik", _("Dapat melihat dan mengekspor NIK pemilik")),
            ("verify_ikmunit", _("Dapat memverifikasi unit IKM")),
        ]
        constraints = [
            models.CheckConstraint(
                name="ikmunit_desa_is_desa_or_kelurahan",
                condition=Regex(F("desa_id"), rules.DESA_CODE_REGEX),
                violation_error_message=_("Lokasi unit harus desa atau kelurahan."),
            ),
            models.CheckConstraint(
                name="ikmunit_nib_13_digits",
                condition=Q(nib__isnull=True) | Q(nib__regex=rules.NIB_REGEX),
                violation_error_message=_("NIB harus 13 digit angka."),
            ),
            models.CheckConstraint(
                name="ikmunit_kbli_5_digits",
                condition=Q(kbli="") | Q(kbli__regex=rules.KBLI_REGEX),
                violation_error_message=_("KBLI harus 5 digit angka."),
            ),
            models.UniqueConstraint(
                fields=["nik_digest"],
                condition=~Q(nik_digest=""),
                name="ikmunit_unique_nik",
                violation_error_message=_("NIK ini sudah terdaftar pada unit lain."),
            ),
            models.CheckConstraint(
                name="ikmunit_investment_not_negative",
                condition=Q(investment__isnull=True) | Q(investment__gte=0),
            ),
            models.CheckConstraint(
                name="ikmunit_production_value_not_negative",
                condition=Q(production_value__isnull=True) | Q(production_value__gte=0),
            ),
            models.CheckConstraint(
                name="ikmunit_capacity_not_negative",
                condition=Q(capacity__isnull=True) | Q(capacity__gte=0),
            ),
            models.CheckConstraint(
                name="ikmunit_year_established_range",
                condition=Q(year_established__isnull=True)
                | Q(year_established__gte=1900, year_established__lte=2100),
            ),
            models.CheckConstraint(
                name="ikmunit_latitude_range",
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
            ),
            models.CheckConstraint(
                name="ikmunit_longitude_range",
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
            ),
        ]
        indexes = [
            # Directory and admin filters by kab/kota and kecamatan.
            models.Index(fields=["kabupaten_code", "name"], name="ikmunit_kab_name_idx"),
            models.Index(fields=["kecamatan_code"], name="ikmunit_kec_idx"),
            # Public directory: verified units by commodity group.
            models.Index(fields=["verified", "commodity_group"], name="ikmunit_verified_group_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("public:unit_detail", kwargs={"slug": self.slug})

    @property
    def nik_masked(self) -> str:
        from .nik import mask

        return mask(self.nik_last4)

    @property
    def nik_masked_for_owner(self) -> str:
        """The NIK the owner last gave, masked: the pending one when an official must check it."""
        from .nik import mask

        return mask(self.nik_pending_last4 or self.nik_last4)

    @property
    def is_above_ikm(self) -> bool:
        return self.scale == Scale.BESAR

    def get_scale_display(self) -> str:
        """The scale's label (a GeneratedField gets no ``get_FOO_display`` of its own): an empty
        string while workers or investment are unknown."""
        return str(Scale(self.scale).label) if self.scale in Scale.values else ""

    @property
    def whatsapp_link(self) -> str:
        """``https://wa.me/6281234567890`` (wa.me takes the digits only), or ""."""
        digits = "".join(ch for ch in self.whatsapp or "" if ch.isdigit())
        return f"https://wa.me/{digits}" if digits else ""

    @property
    def whatsapp_display(self) -> str:
        return phone_display(self.whatsapp) if self.whatsapp else ""

    @property
    def phone_display(self) -> str:
        return phone_display(self.phone) if self.phone else ""


# --- The IKMUnit fields an owner may edit -------------------------------------------------------
# The one list: ``ikm.services`` takes only these from an owner, and the portal's UnitForm, the
# spreadsheet columns (``ikm.resources``) and the admin's fieldsets are built from it and its groups
# with ``unit_fields``, each adding its own fields. In the order of the spreadsheet columns.
UNIT_OWNER_FIELDS = ("owner_name", "owner_address", "owner_phone")
UNIT_COORDINATE_FIELDS = ("latitude", "longitude")
UNIT_LOCATION_FIELDS = ("address", "desa", *UNIT_COORDINATE_FIELDS)
UNIT_CONTACT_FIELDS = ("phone", "whatsapp", "email", "website")
#: Whether the public site shows the phone, WhatsApp and email (not in the spreadsheet).
UNIT_SHOWN_CONTACT_FIELDS = ("phone_public", "whatsapp_public", "email_public")
UNIT_SCALE_FIELDS = (
    "year_established",
    "workers",
    "investment",
    "capacity",
    "capacity_unit",
    "production_value",
)
OWNER_EDITABLE_FIELDS = (
    "nib",
    "name",
    *UNIT_OWNER_FIELDS,
    "npwp",
    "kbli",
    "commodity_group",
    "description",
    *UNIT_LOCATION_FIELDS,
    *UNIT_CONTACT_FIELDS,
    *UNIT_SHOWN_CONTACT_FIELDS,
    *UNIT_SCALE_FIELDS,
)


def unit_fields(
    fields: tuple[str, ...] = OWNER_EDITABLE_FIELDS,
    *,
    without: tuple[str, ...] = (),
    expand: dict[str, tuple[str, ...]] | None = None,
) -> tuple[str, ...]:
    """``fields`` in their order, less ``without``; a field in ``expand`` stands as the names given
    there (itself among them), for what a form, resource or fieldset adds beside it.

    ``unit_fields(expand={"desa": ("kabupaten", "desa")})`` -> (..., "kabupaten", "desa", ...)
    """
    expand = expand or {}
    return tuple(
        name for field in fields if field not in without for name in expand.get(field, (field,))
    )


class UnitClaim(models.Model):
    """An owner account asks to manage an existing unit (found by NIB); an official decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu verifikasi")
        APPROVED = "approved", _("Disetujui")
        REJECTED = "rejected", _("Ditolak")

    unit = models.ForeignKey(
        IKMUnit, verbose_name=_("unit IKM"), on_delete=models.CASCADE, related_name="claims"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("akun"),
        on_delete=models.CASCADE,
        related_name="unit_claims",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    note = models.TextField(
        _("catatan"), blank=True, max_length=LONG_TEXT_MAX, validators=long_text_validators()
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diputuskan oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("klaim unit")
        verbose_name_plural = _("klaim unit")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "user"],
                condition=Q(status="pending"),
                name="unitclaim_one_pending_per_user_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.unit}"


class Official(models.Model):
    """An official of Disperindag: province-wide when ``kabupaten`` is empty, else one kab/kota."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("akun"),
        on_delete=models.CASCADE,
        related_name="official",
    )
    kabupaten = models.ForeignKey(
        Region,
        verbose_name=_("kabupaten/kota"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Kosongkan untuk pejabat provinsi (seluruh Kalimantan Barat)."),
    )
    position = models.CharField(_("jabatan"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("pejabat dinas")
        verbose_name_plural = _("pejabat dinas")
        constraints = [
            models.CheckConstraint(
                name="official_kabupaten_is_level2",
                condition=Q(kabupaten__isnull=True)
                | Q(Regex(F("kabupaten_id"), r"^[0-9]{2}\.[0-9]{2}$")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.kabupaten or _('Provinsi')})"

    @property
    def is_province(self) -> bool:
        return self.kabupaten_id is None


class PersonalDataExport(models.Model):
    """A logged, deliberate export that included personal data (NIK)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("akun"), on_delete=models.PROTECT, related_name="+"
    )
    model = models.CharField(_("data"), max_length=100)
    file_format = models.CharField(_("format"), max_length=10)
    row_count = models.PositiveIntegerField(_("jumlah baris"))
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        verbose_name = _("ekspor data pribadi")
        verbose_name_plural = _("ekspor data pribadi")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} · {self.model} · {self.row_count}"


# Owners' rights over their personal data (UU PDP): consent, requests, erasures (issue 13).
from .privacy_models import Consent, DataSubjectRequest, Erasure  # noqa: E402, F401
