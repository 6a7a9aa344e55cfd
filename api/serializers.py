"""JSON shapes of the public API (Indonesian keys, as the public site's GET keys)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from certifications.models import Certification
from ikm.models import IKMUnit, Region
from products.models import Product

from .public_fields import shown_contact


class UnitRefSerializer(serializers.Serializer):
    slug = serializers.CharField(help_text=_("Pengenal unit IKM di URL."))
    nama = serializers.CharField(source="name", help_text=_("Nama usaha."))


class MarketplaceSerializer(serializers.Serializer):
    platform = serializers.CharField(help_text=_("Kode marketplace."))
    url = serializers.URLField(help_text=_("Tautan toko/produk di marketplace."))


class ProductSerializer(serializers.ModelSerializer):
    nama = serializers.CharField(source="name", help_text=_("Nama produk."))
    kategori = serializers.CharField(source="category", help_text=_("Kode kelompok komoditas."))
    kategori_label = serializers.CharField(
        source="get_category_display", help_text=_("Nama kelompok komoditas.")
    )
    deskripsi = serializers.CharField(source="description", help_text=_("Deskripsi produk."))
    harga = serializers.IntegerField(
        source="price", allow_null=True, help_text=_("Harga dalam rupiah (boleh kosong).")
    )
    satuan_harga = serializers.CharField(source="price_unit", help_text=_("Satuan harga."))
    terseleksi = serializers.BooleanField(
        source="is_selected", help_text=_("Produk terseleksi etalase Griya IKM.")
    )
    unit = UnitRefSerializer(help_text=_("Unit IKM pembuat."))
    kode_kabupaten = serializers.CharField(
        source="unit.kabupaten_code", help_text=_("Kode Kemendagri kabupaten/kota unit.")
    )
    kode_kecamatan = serializers.CharField(
        source="unit.kecamatan_code", help_text=_("Kode Kemendagri kecamatan unit.")
    )
    kode_desa = serializers.CharField(
        source="unit.desa_id", help_text=_("Kode Kemendagri desa/kelurahan unit.")
    )
    sertifikat_aktif = serializers.SerializerMethodField(
        help_text=_("Jenis sertifikat yang berlaku hari ini.")
    )
    marketplace = MarketplaceSerializer(
        source="marketplace_links", many=True, help_text=_("Tautan marketplace.")
    )
    url = serializers.SerializerMethodField(help_text=_("Halaman produk di situs publik."))
    dibuat = serializers.DateTimeField(source="created_at")
    diperbarui = serializers.DateTimeField(source="updated_at")

    class Meta:
        model = Product
        fields = [
            "id",
            "slug",
            "nama",
            "kategori",
            "kategori_label",
            "deskripsi",
            "harga",
            "satuan_harga",
            "terseleksi",
            "unit",
            "kode_kabupaten",
            "kode_kecamatan",
            "kode_desa",
            "sertifikat_aktif",
            "marketplace",
            "url",
            "dibuat",
            "diperbarui",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_sertifikat_aktif(self, product: Product) -> list[str]:
        return sorted({c.type for c in getattr(product, "active_certifications", [])})

    def get_url(self, product: Product) -> str:
        return self.context["request"].build_absolute_uri(product.get_absolute_url())


class UnitSerializer(serializers.ModelSerializer):
    nama = serializers.CharField(source="name", help_text=_("Nama usaha."))
    deskripsi = serializers.CharField(source="description")
    kelompok_komoditas = serializers.CharField(source="commodity_group")
    kbli = serializers.CharField(help_text=_("Kode KBLI 2020 (5 digit)."))
    skala = serializers.CharField(
        source="scale", allow_null=True, help_text=_("kecil, menengah atau besar.")
    )
    alamat_usaha = serializers.CharField(source="address", help_text=_("Alamat tempat usaha."))
    kode_kabupaten = serializers.CharField(source="kabupaten_code")
    kode_kecamatan = serializers.CharField(source="kecamatan_code")
    kode_desa = serializers.CharField(source="desa_id")
    tahun_berdiri = serializers.IntegerField(source="year_established", allow_null=True)
    sentra = serializers.CharField(source="sentra.name", allow_null=True, default=None)
    situs_web = serializers.CharField(source="website")
    telepon = serializers.SerializerMethodField(
        help_text=_("Telepon usaha, hanya bila pemilik memilih menampilkannya.")
    )
    whatsapp = serializers.SerializerMethodField(
        help_text=_("WhatsApp usaha, hanya bila pemilik memilih menampilkannya.")
    )
    email = serializers.SerializerMethodField(
        help_text=_("Email usaha, hanya bila pemilik memilih menampilkannya.")
    )
    url = serializers.SerializerMethodField(help_text=_("Halaman unit di situs publik."))
    diperbarui = serializers.DateTimeField(source="updated_at")

    class Meta:
        model = IKMUnit
        fields = [
            "id",
            "slug",
            "nama",
            "deskripsi",
            "kelompok_komoditas",
            "kbli",
            "skala",
            "alamat_usaha",
            "kode_kabupaten",
            "kode_kecamatan",
            "kode_desa",
            "tahun_berdiri",
            "sentra",
            "situs_web",
            "telepon",
            "whatsapp",
            "email",
            "url",
            "diperbarui",
        ]

    def _contact(self, unit: IKMUnit, name: str) -> str:
        return shown_contact(unit.__dict__, name)

    def get_telepon(self, unit: IKMUnit) -> str:
        return self._contact(unit, "phone")

    def get_whatsapp(self, unit: IKMUnit) -> str:
        return self._contact(unit, "whatsapp")

    def get_email(self, unit: IKMUnit) -> str:
        return self._contact(unit, "email")

    def get_url(self, unit: IKMUnit) -> str:
        return self.context["request"].build_absolute_uri(unit.get_absolute_url())


class RegionSerializer(serializers.ModelSerializer):
    kode = serializers.CharField(source="code", help_text=_("Kode wilayah Kemendagri."))
    nama = serializers.CharField(source="name")
    tingkat = serializers.CharField(source="level")
    kode_induk = serializers.CharField(source="parent_id", allow_null=True)

    class Meta:
        model = Region
        fields = ["kode", "nama", "tingkat", "kode_induk"]


class CertificateSerializer(serializers.ModelSerializer):
    jenis = serializers.CharField(source="type")
    jenis_label = serializers.CharField(source="get_type_display")
    nomor = serializers.CharField(source="number")
    penerbit = serializers.CharField(source="issuer")
    tanggal_terbit = serializers.DateField(source="issued_on")
    berlaku_sampai = serializers.DateField(source="valid_until", allow_null=True)
    dicabut_pada = serializers.DateField(source="revoked_at", allow_null=True)
    status = serializers.CharField(help_text=_("active, expired atau revoked (per hari ini)."))
    bintang_ovop = serializers.IntegerField(source="ovop_stars", allow_null=True)
    tahun_ovop = serializers.IntegerField(source="ovop_year", allow_null=True)
    unit = UnitRefSerializer()
    produk = serializers.SerializerMethodField(help_text=_("Slug produk tayang yang dicakup."))

    class Meta:
        model = Certification
        fields = [
            "id",
            "jenis",
            "jenis_label",
            "nomor",
            "penerbit",
            "tanggal_terbit",
            "berlaku_sampai",
            "dicabut_pada",
            "status",
            "bintang_ovop",
            "tahun_ovop",
            "unit",
            "produk",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_produk(self, cert: Certification) -> list[str]:
        return [p.slug for p in getattr(cert, "public_products", [])]


class CountSerializer(serializers.Serializer):
    kode = serializers.CharField(help_text=_("Kode (wilayah, KBLI, skala, tahun, jenis)."))
    nama = serializers.CharField(help_text=_("Nama/label kode."))
    jumlah = serializers.IntegerField()


class StatisticsSerializer(serializers.Serializer):
    unit_per_kabupaten = CountSerializer(many=True)
    unit_per_kbli = CountSerializer(many=True)
    unit_per_skala = CountSerializer(many=True)
    unit_per_tahun_berdiri = CountSerializer(many=True)
    produk_bersertifikat_per_jenis = CountSerializer(many=True)
    diperbarui = serializers.DateTimeField()


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("Pesan kesalahan (bahasa Indonesia)."))
