"""factory_boy factories shared by every test module. Units need the Kalbar regions loaded."""

from __future__ import annotations

import datetime

import factory
from django.contrib.auth import get_user_model

from certifications.models import Certification, CertificationType
from ikm.models import CommodityGroup, IKMUnit, Official, Region
from products.models import Marketplace, MarketplaceLink, Product

# Real desa/kelurahan codes (2025 edition) used by the named fixtures.
DESA_SANGGAU = "61.03.01.2007"  # Desa Penyeladi, Kecamatan Kapuas, Kabupaten Sanggau
DESA_KETAPANG = "61.04.01.2011"  # Desa Sungai Putri, Kec. Matan Hilir Utara
KEL_PONTIANAK = "61.71.01.1002"  # Kel. Benuamelayu Laut, Pontianak Selatan
KEL_SINGKAWANG = "61.72.01.1001"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.id")
    password = factory.django.Password("rahasia-Kalbar-2026")


class OfficialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Official

    user = factory.SubFactory(UserFactory, is_staff=True)
    kabupaten = None  # province-wide


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IKMUnit

    name = factory.Sequence(lambda n: f"Usaha Contoh {n}")
    slug = factory.Sequence(lambda n: f"usaha-contoh-{n}")
    owner_name = "Siti Aminah"
    commodity_group = CommodityGroup.MAKANAN
    desa = factory.LazyFunction(lambda: Region.objects.get(code=DESA_SANGGAU))
    verified = True
    workers = 5
    investment = 50_000_000


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    unit = factory.SubFactory(UnitFactory)
    name = factory.Sequence(lambda n: f"Produk Contoh {n}")
    slug = factory.Sequence(lambda n: f"produk-contoh-{n}")
    category = CommodityGroup.MAKANAN
    description = "Produk olahan khas Kalimantan Barat."
    price = 25_000
    is_published = True


class MarketplaceLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MarketplaceLink

    product = factory.SubFactory(ProductFactory)
    platform = Marketplace.SHOPEE
    url = factory.Sequence(lambda n: f"https://shopee.co.id/produk-{n}")


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification

    type = CertificationType.HALAL
    number = factory.Sequence(lambda n: f"ID6111000{n:07d}")
    issuer = "BPJPH"
    issued_on = datetime.date(2024, 5, 1)
    unit = factory.SubFactory(UnitFactory)
