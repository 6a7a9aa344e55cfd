"""The read-only public API (/api/v1/): only what the public site shows, to anyone, cached.

Rows come from the public site's selectors: ``Product.objects.public()`` (published products of
verified units), ``IKMUnit.objects.public()`` (verified units), certificates of verified units
(``certifications.selectors``, the verification page's rule) and every Kemendagri region.
"""

from __future__ import annotations

from django.db import router, transaction
from django.db.models import Prefetch
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import Throttled
from rest_framework.response import Response
from rest_framework.views import APIView

from certifications.models import Certification
from certifications.selectors import MAX_NUMBER_LENGTH, verify_certificate
from ikm.models import IKMUnit, Region
from products.models import MarketplaceLink, Product

from . import filters, statistics
from .http import HttpCachingMixin
from .pagination import KeyCursorPagination, RegionCursorPagination
from .serializers import (
    CertificateSerializer,
    ErrorSerializer,
    ProductSerializer,
    RegionSerializer,
    StatisticsSerializer,
    UnitSerializer,
)

ERRORS = {
    400: OpenApiTypes.OBJECT,  # {parameter: [pesan, …]}
    404: ErrorSerializer,
    429: ErrorSerializer,
}


class TooManyRequests(Throttled):
    default_detail = _("Terlalu banyak permintaan dari alamat Anda.")
    extra_detail_singular = _("Coba lagi dalam {wait} detik.")
    extra_detail_plural = _("Coba lagi dalam {wait} detik.")


class PublicApiMixin(HttpCachingMixin):
    http_method_names = ["get", "head", "options"]

    def throttled(self, request, wait):
        raise TooManyRequests(wait)


class PublicReadOnlyViewSet(PublicApiMixin, viewsets.ReadOnlyModelViewSet):
    pagination_class = KeyCursorPagination

    def list(self, request, *args, **kwargs):
        # Search words and their trigram threshold on one server connection (behind PgBouncer
        # in transaction mode: one transaction), see products/search.py.
        model = self.get_queryset().model
        with transaction.atomic(using=router.db_for_read(model)):
            queryset = self.filter_queryset(self.get_queryset())
            page = self.paginate_queryset(queryset)
            self.note_modified(page)
            data = self.get_serializer(page, many=True).data
        return self.get_paginated_response(data)

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        self.note_modified([instance])
        return Response(self.get_serializer(instance).data)


def _active_certifications() -> Prefetch:
    return Prefetch(
        "certifications",
        queryset=Certification.objects.active().only("id", "type"),
        to_attr="active_certifications",
    )


@extend_schema_view(
    list=extend_schema(
        summary=_("Daftar produk"),
        description=_(
            "Produk tayang dari unit IKM terverifikasi, urut id, dengan paginasi kursor. "
            "Filter sama dengan katalog publik; q = pencarian teks lengkap."
        ),
        responses={200: ProductSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(
        summary=_("Satu produk"), responses={200: ProductSerializer, 404: ErrorSerializer}
    ),
)
@extend_schema(tags=["Produk"])
class ProductViewSet(PublicReadOnlyViewSet):
    serializer_class = ProductSerializer
    filterset_class = filters.ProductFilter
    lookup_field = "slug"

    def get_queryset(self):
        return (
            Product.objects.public()
            .select_related("unit")
            .prefetch_related(
                _active_certifications(),
                Prefetch("marketplace_links", queryset=MarketplaceLink.objects.order_by("id")),
            )
        )


@extend_schema_view(
    list=extend_schema(
        summary=_("Daftar unit IKM"),
        description=_(
            "Unit IKM terverifikasi, kolom publik saja (tanpa NIK, alamat rumah, telepon "
            "pribadi, email akun pemilik, dokumen). Kontak usaha hanya bila ditampilkan pemilik."
        ),
        responses={200: UnitSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(
        summary=_("Satu unit IKM"), responses={200: UnitSerializer, 404: ErrorSerializer}
    ),
)
@extend_schema(tags=["Unit IKM"])
class UnitViewSet(PublicReadOnlyViewSet):
    serializer_class = UnitSerializer
    filterset_class = filters.UnitFilter
    lookup_field = "slug"

    def get_queryset(self):
        return IKMUnit.objects.public().select_related("sentra")


@extend_schema_view(
    list=extend_schema(
        summary=_("Daftar wilayah"),
        description=_("Wilayah menurut kode Kemendagri (provinsi sampai desa/kelurahan)."),
        responses={200: RegionSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(
        summary=_("Satu wilayah"), responses={200: RegionSerializer, 404: ErrorSerializer}
    ),
)
@extend_schema(tags=["Wilayah"])
class RegionViewSet(PublicReadOnlyViewSet):
    serializer_class = RegionSerializer
    filterset_class = filters.RegionFilter
    pagination_class = RegionCursorPagination
    lookup_field = "code"
    lookup_value_regex = r"[0-9.]{1,13}"
    queryset = Region.objects.all()


def _certificates():
    return (
        Certification.objects.with_status()
        .filter(unit__verified=True)
        .select_related("unit")
        .prefetch_related(
            Prefetch(
                "products",
                queryset=Product.objects.public().only("id", "slug").order_by("slug"),
                to_attr="public_products",
            )
        )
    )


@extend_schema_view(
    list=extend_schema(
        summary=_("Daftar sertifikat"),
        description=_("Sertifikat milik unit IKM terverifikasi, dengan status per hari ini."),
        responses={200: CertificateSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(
        summary=_("Satu sertifikat"),
        responses={200: CertificateSerializer, 404: ErrorSerializer},
    ),
)
@extend_schema(tags=["Sertifikat"])
class CertificateViewSet(PublicReadOnlyViewSet):
    serializer_class = CertificateSerializer
    filterset_class = filters.CertificateFilter
    queryset = Certification.objects.none()

    def get_queryset(self):
        return _certificates()


class VerificationQuery(serializers.Serializer):
    nomor = serializers.CharField(max_length=MAX_NUMBER_LENGTH, help_text=_("Nomor sertifikat."))


class VerifyView(PublicApiMixin, APIView):
    @extend_schema(
        tags=["Sertifikat"],
        summary=_("Verifikasi sertifikat berdasarkan nomor"),
        description=_(
            "Sama dengan halaman verifikasi publik: hanya nomor yang persis sama (spasi, "
            "titik dan tanda hubung diabaikan), milik unit terverifikasi. Daftar kosong = "
            "tidak ditemukan."
        ),
        parameters=[
            OpenApiParameter("nomor", str, required=True, description=_("Nomor sertifikat."))
        ],
        responses={
            200: CertificateSerializer(many=True),
            400: OpenApiTypes.OBJECT,
            429: ErrorSerializer,
        },
    )
    def get(self, request):
        query = VerificationQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = verify_certificate(query.validated_data["nomor"])
        certificates = list(_certificates().filter(pk__in=[c.pk for c in found]).order_by("type"))
        self.note_modified(certificates)
        data = CertificateSerializer(certificates, many=True, context={"request": request}).data
        return Response(data)


class StatisticsView(PublicApiMixin, APIView):
    @extend_schema(
        tags=["Statistik"],
        summary=_("Statistik IKM"),
        description=_(
            "Unit IKM terverifikasi per kabupaten/kota, KBLI, skala dan tahun berdiri; produk "
            "tayang bersertifikat berlaku per jenis sertifikat."
        ),
        responses={200: StatisticsSerializer, 429: ErrorSerializer},
    )
    def get(self, request):
        figures = statistics.statistics()
        self.last_modified = figures["diperbarui"]
        return Response(StatisticsSerializer(figures).data)


class ApiRootView(PublicApiMixin, APIView):
    """The list of endpoints (not in the schema)."""

    schema = None

    def get(self, request):
        from django.urls import reverse

        names = {
            "produk": "api:product-list",
            "unit": "api:unit-list",
            "wilayah": "api:region-list",
            "sertifikat": "api:certificate-list",
            "verifikasi_sertifikat": "api:certificate-verify",
            "statistik": "api:statistics",
            "skema_openapi": "api:schema",
            "dokumentasi": "api:docs",
            "katalog_data": "api:data-catalog",
        }
        return Response({k: request.build_absolute_uri(reverse(v)) for k, v in names.items()})


def not_found(request, *args, **kwargs):
    """Any other address under /api/: a JSON 404 in the caller's language."""
    from django.http import JsonResponse

    return JsonResponse({"detail": gettext("Alamat API tidak ditemukan.")}, status=404)
