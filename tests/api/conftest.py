"""Open data tests: a small public catalog with one owner whose private data must never leak."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

import pytest

from certifications.models import CertificationType
from ikm.models import Region
from ikm.nik import seal
from tests.factories import (
    CertificationFactory,
    MarketplaceLinkFactory,
    ProductFactory,
    UnitFactory,
    UserFactory,
)

# The owner's private data: none of these strings may appear in any API answer or dataset.
NIK = "6171034505900007"
OWNER_EMAIL = "rahasia.pemilik.h15@example.id"
OWNER_ADDRESS = "Jl. Rumah Pribadi Rahasia No. 99"
OWNER_PHONE = "+6281377779999"
HIDDEN_PHONE = "+62561799991"  # business phone the owner chose not to show
HIDDEN_WA = "+6281388881111"
HIDDEN_EMAIL = "usaha.tersembunyi@example.id"
NIB = "9120000770099"
NPWP = "0923456789012345"
DOC_NAME = "ktp-pemilik-rahasia.pdf"
PRIVATE_VALUES = [
    NIK,
    NIK[-4:] + "\u2022",  # a mask shape is not shown either
    OWNER_EMAIL,
    OWNER_ADDRESS,
    OWNER_PHONE,
    OWNER_PHONE.removeprefix("+"),
    "081377779999",
    HIDDEN_PHONE,
    HIDDEN_WA,
    HIDDEN_WA.removeprefix("+"),
    HIDDEN_EMAIL,
    NIB,
    NPWP,
    DOC_NAME,
]
SHOWN_WA = "+6281255550001"


@dataclass
class OpenCatalog:
    private_unit: object
    shown_unit: object
    hidden_unit: object
    products: list
    draft: object
    hidden_product: object
    cert: object
    hidden_cert: object


@pytest.fixture(autouse=True)
def _api_isolated(settings, tmp_path, monkeypatch):
    """Datasets in tmp storage; throttle counters in keys of this test only; a generous rate."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.API_THROTTLE_RATE = "100000/min"
    monkeypatch.setattr(
        "api.throttling.AddressRateThrottle.cache_format",
        f"api-throttle-test-{uuid.uuid4().hex}:%(ident)s",
    )


@pytest.fixture
def open_catalog(db) -> OpenCatalog:
    return build_open_catalog()


def build_open_catalog() -> OpenCatalog:
    from certifications.models import DocumentType, Request, RequestDocument

    owner = UserFactory(username="pemilik_h15", email=OWNER_EMAIL)
    sealed = seal(NIK)
    private = UnitFactory(
        name="Tenun Rahasia Sambas",
        slug="tenun-rahasia-sambas",
        owner=owner,
        nik_ciphertext=sealed.ciphertext,
        nik_digest=sealed.digest,
        nik_last4=sealed.last4,
        owner_address=OWNER_ADDRESS,
        owner_phone=OWNER_PHONE,
        phone=HIDDEN_PHONE,
        phone_public=False,
        whatsapp=HIDDEN_WA,
        whatsapp_public=False,
        email=HIDDEN_EMAIL,
        email_public=False,
        nib=NIB,
        npwp=NPWP,
        kbli="13112",
        year_established=2011,
    )
    shown = UnitFactory(
        name="Amplang Kayong",
        slug="amplang-kayong",
        whatsapp=SHOWN_WA,
        whatsapp_public=True,
        kbli="10750",
        year_established=2011,
        desa=Region.objects.get(code="61.71.01.1002"),
    )
    hidden = UnitFactory(name="Belum Diverifikasi", slug="belum-diverifikasi", verified=False)
    products = [
        ProductFactory(
            unit=private, name="Kain Tenun Songket", slug="kain-tenun-songket", price=450_000
        ),
        ProductFactory(unit=shown, name="Amplang Ikan Tenggiri", slug="amplang-ikan", price=30_000),
        ProductFactory(unit=shown, name="Kerupuk Basah", slug="kerupuk-basah", price=15_000),
    ]
    MarketplaceLinkFactory(product=products[1])
    draft = ProductFactory(unit=shown, name="Draf Produk", slug="draf-produk", is_published=False)
    hidden_product = ProductFactory(unit=hidden, name="Produk Tersembunyi", slug="produk-sembunyi")
    cert = CertificationFactory(
        unit=shown, type=CertificationType.HALAL, number="ID61110000123450824"
    )
    cert.products.set([products[1], draft])
    hidden_cert = CertificationFactory(unit=hidden, number="ID61110000999990824")
    hidden_cert.products.set([hidden_product])
    CertificationFactory(
        unit=private,
        type=CertificationType.MEREK,
        number="IDM000123456",
        issuer="DJKI",
        issued_on=datetime.date(2015, 1, 1),
        valid_until=datetime.date(2020, 1, 1),
    ).products.set([products[0]])
    request = Request.objects.create(kind="merek", unit=private, created_by=owner)
    RequestDocument.objects.create(
        request=request,
        doc_type=DocumentType.choices[0][0],
        file="dokumen/x.pdf",
        original_name=DOC_NAME,
        content_type="application/pdf",
        size=10,
        uploaded_by=owner,
    )
    return OpenCatalog(private, shown, hidden, products, draft, hidden_product, cert, hidden_cert)
