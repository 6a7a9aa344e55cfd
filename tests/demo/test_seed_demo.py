"""seed_demo: refuses in production, needs regions, is idempotent and realistic."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count

from certifications.models import Certification, CertificationType
from ikm.models import IKMUnit, Official, Region, Scale, Sentra
from ikm.nik import unseal
from products.models import MARKETPLACE_HOSTS, MarketplaceLink, Product, ProductPhoto
from tests.support.requests import file_roots  # noqa: F401 - fixture (media and private in tmp)

pytestmark = pytest.mark.django_db

KAB_KOTA = [
    "61.01", "61.02", "61.03", "61.04", "61.05", "61.06", "61.07",
    "61.08", "61.09", "61.10", "61.11", "61.12", "61.71", "61.72",
]  # fmt: skip


@pytest.fixture
def media(file_roots) -> Path:  # noqa: F811
    """Photos (MEDIA_ROOT) and the demo requests' documents (private storage) in tmp."""
    return file_roots["media"]


def snapshot(media: Path) -> dict[str, object]:
    """Everything seed_demo writes, in a comparable form."""
    user = get_user_model()
    return {
        "units": list(
            IKMUnit.objects.order_by("slug").values_list(
                "slug", "nib", "nik_digest", "nik_ciphertext", "verified", "updated_at"
            )
        ),
        "products": list(
            Product.objects.order_by("slug").values_list("slug", "price", "updated_at")
        ),
        "photos": list(ProductPhoto.objects.order_by("id").values_list("id", "image")),
        "links": MarketplaceLink.objects.count(),
        "certs": list(
            Certification.objects.order_by("type", "number").values_list(
                "type", "number", "updated_at"
            )
        ),
        "cert_products": Certification.products.through.objects.count(),
        "sentra": list(Sentra.objects.order_by("name").values_list("name", "desa_id")),
        "users": list(user.objects.order_by("username").values_list("username", "password")),
        "officials": Official.objects.count(),
        "unit_history": IKMUnit.history.count(),
        "product_history": Product.history.count(),
        "files": sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()),
    }


def test_refuses_with_debug_off_unless_forced(settings, media):
    settings.DEBUG = False
    with pytest.raises(CommandError) as err:
        call_command("seed_demo", scale=0.05)
    assert "DEBUG mati" in str(err.value) and "--force" in str(err.value)
    assert not IKMUnit.objects.exists() and not get_user_model().objects.exists()


def test_needs_regions(settings, media):
    settings.DEBUG = True
    Region.objects.filter(level__in=["desa", "kelurahan"], code__startswith="61.09").delete()
    with pytest.raises(CommandError) as err:
        call_command("seed_demo", scale=0.05)
    assert "load_regions" in str(err.value) and "61.09" in str(err.value)
    assert not IKMUnit.objects.exists()


def test_bad_scale_refused(media):
    with pytest.raises(CommandError, match="--scale"):
        call_command("seed_demo", force=True, scale=0)


def test_small_seed_twice_changes_nothing(media, capsys):
    call_command("seed_demo", force=True, scale=0.05, workers=1)
    first = snapshot(media)
    out = capsys.readouterr().out
    assert "Data demo: dibuat" in out and "unit IKM:" in out and "Kalbar-Demo-2026" in out
    assert len(first["units"]) >= 14 * 3
    assert first["files"] and len(first["files"]) == 4 * len(first["photos"])

    call_command("seed_demo", force=True, scale=0.05, workers=1)
    assert snapshot(media) == first
    assert "dibuat tidak ada" in capsys.readouterr().out


def test_small_seed_is_a_subset_of_the_full_plan():
    from demo.plan import build_plan
    from demo.seed import region_pools

    desa, names, _kab = region_pools()
    small, full = build_plan(desa, names, scale=0.1), build_plan(desa, names)
    full_units = {u.slug: u for u in full.units}
    assert {u.slug for u in small.units} <= set(full_units)
    for u in small.units:
        assert [p.slug for p in u.products] == [p.slug for p in full_units[u.slug].products]
        assert [c.number for c in u.certs] == [c.number for c in full_units[u.slug].certs]


def test_full_default_seed(media, django_capture_on_commit_callbacks):
    """The default data set, as `make run` loads it (about a minute on two cores)."""
    call_command("seed_demo", force=True, verbosity=0)

    units = IKMUnit.objects.all()
    assert units.count() >= 300
    per_kab = dict(units.values_list("kabupaten_code").annotate(n=Count("id")))
    assert sorted(per_kab) == KAB_KOTA and min(per_kab.values()) >= 10
    # Placed at real desa/kelurahan of the 2025 edition.
    assert set(units.values_list("desa__level", flat=True)) == {"desa", "kelurahan"}
    assert units.filter(verified=True).count() > 0.8 * units.count()

    products = Product.objects.all()
    assert products.count() >= 1000
    assert products.filter(is_published=True).count() > 0.8 * products.count()
    assert products.filter(is_selected=True, is_published=True).count() >= 20
    # Every product has a photo with its three renditions on disk.
    assert ProductPhoto.objects.values("product").distinct().count() == products.count()
    photo = ProductPhoto.objects.select_related("product").first()
    assert sorted(photo.renditions, key=int) == ["320", "640", "1024"]
    assert all((media / n).exists() for n in [photo.image.name, *photo.renditions.values()])
    assert photo.alt_text.startswith("Foto ")

    # The real products and places of domain.md, findable by the catalog's search terms.
    def unit_of(name: str, kab: str) -> bool:
        return products.filter(name__icontains=name, unit__kabupaten_code=kab).exists()

    assert unit_of("Minuman Lidah Buaya", "61.71")
    assert unit_of("Lempok Durian", "61.03")
    assert unit_of("Amplang Ikan Tenggiri", "61.04")
    assert unit_of("Keramik Singkawang", "61.72")
    assert unit_of("Tenun Ikat", "61.05")
    assert unit_of("Kopiah Sambas", "61.01")
    assert unit_of("Tikar Pandan", "61.11")
    assert unit_of("Madu Kelulut", "61.07")
    assert unit_of("Pahatan Kayu", "61.08")
    assert unit_of("Pengkang", "61.02")
    assert unit_of("Keladi Air", "61.12")
    assert unit_of("Tenun Sidan", "61.06")
    assert unit_of("Mandau", "61.10")
    assert products.filter(description__icontains="kerajinan tangan").count() >= 50
    assert units.filter(sentra__name="Sentra Keramik Sakkok", desa_id="61.72.05.1001").count() >= 5

    # Sentra: at least five units each.
    sentra = Sentra.objects.annotate(n=Count("units"))
    assert sentra.count() >= 5 and min(s.n for s in sentra) >= 5

    # Contacts, NIB, NIK, scale.
    assert units.exclude(whatsapp="").count() == units.count()
    assert all(
        re.fullmatch(r"\+628[0-9]{9,11}", w) for w in units.values_list("whatsapp", flat=True)
    )
    nibs = [n for n in units.values_list("nib", flat=True) if n]
    assert len(nibs) > 100 and all(re.fullmatch(r"[0-9]{13}", n) for n in nibs)
    with_nik = units.exclude(nik_digest="")
    assert with_nik.count() > 50
    sample = with_nik.first()
    assert re.fullmatch(r"61[0-9]{14}", unseal(sample.nik_ciphertext))
    scales = set(units.values_list("scale", flat=True))
    assert {Scale.KECIL, Scale.MENENGAH, Scale.BESAR} <= scales

    # Marketplace links on the right hosts.
    links = MarketplaceLink.objects.all()
    assert links.values("product").distinct().count() > 0.3 * products.count()
    for platform, url in links.values_list("platform", "url"):
        host = urlsplit(url).hostname
        assert any(host == h or host.endswith("." + h) for h in MARKETPLACE_HOSTS[platform])

    # Certificates of every type, numbers per format, statuses.
    certs = Certification.objects.with_status()
    assert set(certs.values_list("type", flat=True)) == set(CertificationType.values)
    assert certs.filter(type="halal", valid_until__isnull=True, current_status="active").exists()
    assert certs.filter(current_status="expired").exists()
    assert 1 <= certs.filter(current_status="revoked").count() <= 2
    assert all(
        n.startswith("ID") for n in certs.filter(type="halal").values_list("number", flat=True)
    )
    assert all(
        re.fullmatch(r"IDM[0-9]{9}", n)
        for n in certs.filter(type="merek").values_list("number", flat=True)
    )
    assert all(
        re.fullmatch(r"[0-9]{15}", n)
        for n in certs.filter(type="spp_irt").values_list("number", flat=True)
    )
    assert all(
        n.startswith("MD") for n in certs.filter(type="bpom_md").values_list("number", flat=True)
    )
    assert not certs.annotate(p=Count("products")).filter(p=0).exists()
    ovop = certs.filter(type="ovop")
    assert set(ovop.values_list("ovop_stars", flat=True)) <= {1, 2, 3, 4, 5}
    for kab, name in [
        ("61.71", "Lidah Buaya"),
        ("61.03", "Lempok Durian"),
        ("61.04", "Amplang"),
        ("61.72", "Keramik Singkawang"),
    ]:
        assert ovop.filter(
            unit__kabupaten_code=kab, products__name__icontains=name, ovop_stars__gte=3
        ).exists(), (kab, name)

    # Demo accounts.
    users = get_user_model().objects
    province = users.get(username="admin.kalbar")
    assert province.check_password("Kalbar-Demo-2026")
    assert province.is_staff and not province.is_superuser
    assert province.official.kabupaten_id is None
    assert list(province.groups.values_list("name", flat=True)) == ["Pejabat Provinsi"]
    assert province.has_perm("ikm.change_ikmunit")
    assert province.has_perm("certifications.view_certification")
    assert province.has_perm("ikm.view_nik")  # the demo shows the NIK features
    sanggau = users.get(username="admin.sanggau")
    assert sanggau.check_password("Kalbar-Demo-2026") and sanggau.is_staff
    assert list(sanggau.groups.values_list("name", flat=True)) == ["Pejabat Kabupaten/Kota"]
    assert not sanggau.has_perm("ikm.view_nik")
    assert sanggau.official.kabupaten_id == "61.03"
    owner = users.get(username="pemilik.demo")
    assert owner.check_password("Kalbar-Demo-2026") and not owner.is_staff
    assert list(owner.ikm_units.values_list("kabupaten_code", flat=True)) == ["61.03"]

    # A second run changes nothing.
    first = snapshot(media)
    call_command("seed_demo", force=True, verbosity=0)
    assert snapshot(media) == first


# --- generate_bench_data -----------------------------------------------------------------------
def test_bench_data_beside_demo_data_and_clear(media, capsys):
    call_command("seed_demo", force=True, scale=0.05, workers=1, verbosity=0)
    demo = snapshot(media)

    call_command("generate_bench_data", units=300, products=1200)
    out = capsys.readouterr().out
    assert "Data benchmark: 300 unit, 1200 produk" in out
    bench_units = IKMUnit.objects.filter(slug__startswith="bench-")
    bench_products = Product.objects.filter(slug__startswith="bench-")
    assert bench_units.count() == 300 and bench_products.count() == 1200
    # Spread over the desa/kelurahan of all 14 kab/kota, named from the demo vocabulary.
    assert sorted(set(bench_units.values_list("kabupaten_code", flat=True))) == KAB_KOTA
    assert bench_units.values("desa").distinct().count() == 300
    assert bench_products.filter(name__icontains="lempok").exists()
    assert bench_products.filter(description__icontains="kerajinan tangan").exists()
    assert ProductPhoto.objects.filter(product__slug__startswith="bench-").count() == 1200
    # Loaded with the catalog's triggers off, then its index rebuilt in one statement.
    from public.models import CatalogCount, CatalogRow

    assert CatalogRow.objects.count() == Product.objects.public().count()
    assert sum(CatalogCount.objects.values_list("n", flat=True)) == CatalogRow.objects.count()
    # ... and the counts per kab/kota and the directory's counts with it (issue 11).
    from public.models import CatalogKabCount, UnitFacetCount

    assert sum(CatalogKabCount.objects.values_list("n", flat=True)) == CatalogRow.objects.count()
    verified = IKMUnit.objects.filter(verified=True).count()
    assert sum(UnitFacetCount.objects.values_list("n", flat=True)) == verified
    bench_certs = Certification.objects.filter(unit__slug__startswith="bench-")
    assert bench_certs.exists() and not bench_certs.annotate(p=Count("products")).filter(p=0)
    assert MarketplaceLink.objects.filter(product__slug__startswith="bench-").exists()
    # Generated columns and the search vector are computed by PostgreSQL for COPY'd rows too.
    unit = bench_units.first()
    assert unit.kabupaten_code == unit.desa_id[:5] and unit.scale in {"kecil", "menengah", "besar"}

    # seed_demo stays idempotent beside the bench data.
    call_command("seed_demo", force=True, scale=0.05, workers=1, verbosity=0)
    assert IKMUnit.objects.exclude(slug__startswith="bench-").count() == len(demo["units"])

    # A second run replaces the first; --clear removes everything it made, and only that.
    call_command("generate_bench_data", units=100, products=200)
    assert bench_units.count() == 100
    call_command("generate_bench_data", clear=True)
    assert not bench_units.exists() and not bench_products.exists()
    assert not Certification.objects.filter(number__startswith="IDM9").exists()
    assert snapshot(media) == demo


def test_bench_data_refuses_bad_numbers(media):
    with pytest.raises(CommandError, match="--products"):
        call_command("generate_bench_data", units=10, products=5)
    assert not IKMUnit.objects.exists()
