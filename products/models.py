from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.text import LONG_TEXT_MAX, NameField, long_text_validators
from ikm.models import CommodityGroup, IKMUnit


class PriceUnit(models.TextChoices):
    PCS = "pcs", _("pcs")
    KG = "kg", _("kg")
    GRAM = "gram", _("gram")
    PAKET = "paket", _("paket")
    LEMBAR = "lembar", _("lembar")
    BOTOL = "botol", _("botol")
    BUNGKUS = "bungkus", _("bungkus")
    TOPLES = "toples", _("toples")
    KOTAK = "kotak", _("kotak")
    SET = "set", _("set")
    METER = "meter", _("meter")
    LITER = "liter", _("liter")


class ProductQuerySet(models.QuerySet):
    def public(self) -> ProductQuerySet:
        """Published products of verified units: what the public site may show."""
        return self.filter(is_published=True, unit__verified=True)


class Product(models.Model):
    unit = models.ForeignKey(
        IKMUnit, verbose_name=_("unit IKM"), on_delete=models.CASCADE, related_name="products"
    )
    name = NameField(_("nama produk"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    category = models.CharField(_("kategori"), max_length=20, choices=CommodityGroup.choices)
    description = models.TextField(
        _("deskripsi"), blank=True, max_length=LONG_TEXT_MAX, validators=long_text_validators()
    )
    price = models.BigIntegerField(_("harga (Rp)"), null=True, blank=True)
    price_unit = models.CharField(
        _("satuan harga"), max_length=10, choices=PriceUnit.choices, default=PriceUnit.PCS
    )
    is_published = models.BooleanField(_("tayang"), default=False)
    is_selected = models.BooleanField(
        _("produk terseleksi"),
        default=False,
        help_text=_("Dipilih pejabat untuk etalase Griya IKM dan halaman depan."),
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    history = HistoricalRecords()
    objects = ProductQuerySet.as_manager()

    class Meta:
        verbose_name = _("produk")
        verbose_name_plural = _("produk")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="product_price_not_negative",
                condition=Q(price__isnull=True) | Q(price__gte=0),
                violation_error_message=_("Harga tidak boleh negatif."),
            ),
        ]
        indexes = [
            # Catalog: newest published products, per category.
            models.Index(fields=["is_published", "-created_at"], name="product_pub_created_idx"),
            models.Index(fields=["category", "is_published"], name="product_category_pub_idx"),
            models.Index(fields=["price"], name="product_price_idx"),
            models.Index(
                fields=["is_selected"], condition=Q(is_selected=True), name="product_selected_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("public:product_detail", kwargs={"slug": self.slug})


def photo_upload_to(instance: ProductPhoto, filename: str) -> str:
    return f"products/{instance.product_id or 'new'}/{filename}"


class ProductPhoto(models.Model):
    """A product photo, normalised at upload (EXIF orientation applied, metadata stripped).

    ``renditions`` maps a width in pixels to the storage name of that resized copy (WebP).
    """

    product = models.ForeignKey(
        Product, verbose_name=_("produk"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(
        _("foto"), upload_to=photo_upload_to, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(_("lebar"), default=0, editable=False)
    height = models.PositiveIntegerField(_("tinggi"), default=0, editable=False)
    renditions = models.JSONField(_("ukuran turunan"), default=dict, blank=True, editable=False)
    alt_text = models.CharField(_("teks alternatif"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("foto produk")
        verbose_name_plural = _("foto produk")
        ordering = ["product", "position", "id"]

    def __str__(self) -> str:
        return self.alt_text or self.product.name


class Marketplace(models.TextChoices):
    SHOPEE = "shopee", "Shopee"
    TOKOPEDIA = "tokopedia", "Tokopedia"
    LAZADA = "lazada", "Lazada"
    BLIBLI = "blibli", "Blibli"
    BUKALAPAK = "bukalapak", "Bukalapak"
    OTHER = "other", _("Lainnya")


# The hosts each marketplace link must point to (checked in forms and imports).
MARKETPLACE_HOSTS = {
    Marketplace.SHOPEE: ("shopee.co.id",),
    Marketplace.TOKOPEDIA: ("tokopedia.com", "tokopedia.link"),
    Marketplace.LAZADA: ("lazada.co.id",),
    Marketplace.BLIBLI: ("blibli.com",),
    Marketplace.BUKALAPAK: ("bukalapak.com",),
}


class MarketplaceLink(models.Model):
    product = models.ForeignKey(
        Product,
        verbose_name=_("produk"),
        on_delete=models.CASCADE,
        related_name="marketplace_links",
    )
    platform = models.CharField(_("marketplace"), max_length=20, choices=Marketplace.choices)
    url = models.URLField(_("tautan"), max_length=500)

    class Meta:
        verbose_name = _("tautan marketplace")
        verbose_name_plural = _("tautan marketplace")
        ordering = ["product", "platform"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "platform", "url"],
                name="marketplacelink_unique_product_platform_url",
            ),
            models.CheckConstraint(
                name="marketplacelink_url_is_https_or_http", condition=Q(url__regex=r"^https?://")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()}: {self.url}"


class SearchSynonym(models.Model):
    """A word visitors search for and the words the catalog uses for it (issue 14).

    ``term`` is stored folded (lower case, no accents, words joined by one space: "oleh-oleh"
    is ``oleh oleh``); ``related`` likewise, one word or phrase per item. A search for ``term``
    also finds products matching any related word, ranked below products matching the word
    itself (``products.search``). Officials of the province edit the table in the admin.
    """

    term = models.CharField(
        _("kata yang dicari"),
        max_length=80,
        unique=True,
        help_text=_("Kata atau frasa yang diketik pengunjung, mis. “pakaian adat”."),
    )
    related = ArrayField(
        models.CharField(max_length=80),
        verbose_name=_("kata terkait"),
        size=20,
        help_text=_(
            "Kata di katalog yang juga dicari, dipisahkan koma, mis. “tenun, songket, kain”."
        ),
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    is_popular = models.BooleanField(
        _("pencarian populer"),
        default=False,
        help_text=_("Ditawarkan kepada pengunjung bila pencariannya tidak menemukan produk."),
    )
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sinonim pencarian")
        verbose_name_plural = _("sinonim pencarian")
        ordering = ["term"]

    def __str__(self) -> str:
        return self.term

    def save(self, *args, **kwargs):
        self.term = fold_phrase(self.term)
        related = []
        for item in self.related or []:
            phrase = fold_phrase(item)
            if phrase and phrase != self.term and phrase not in related:
                related.append(phrase)
        self.related = related
        super().save(*args, **kwargs)


def fold_phrase(text: str) -> str:
    """``"Oleh-Oleh "`` -> ``"oleh oleh"``: lower case, no accents, words joined by one space
    (how ``products.search`` reads a query)."""
    import re
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", (text or "").lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.findall(r"[^\W_]+", plain))
