"""Write the demo plan to the database (``manage.py seed_demo``).

Idempotent: units and products are keyed by slug, certificates by (type, number), sentra by
(name, desa), links by (product, platform, url), accounts by username. Only what is missing is
written, so a second run creates nothing and changes nothing. Photos are made only for products
that have none, through ``products.images.photo_add`` (renditions included), with the pictures
drawn and encoded in worker processes.
"""

from __future__ import annotations

import datetime
import multiprocessing
import os
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from certifications.formats import validate_number
from certifications.models import Certification
from ikm import nik as nik_module
from ikm.models import IKMUnit, Official, Region, Sentra
from ikm.rules import PROVINCE_CODE
from ikm.services import unit_set_nik
from products.images import ProcessedPhoto, photo_add, photo_files, process_image
from products.models import MarketplaceLink, Product, ProductPhoto

from .consignment import seed_consignment
from .events import seed_events
from .pictures import product_picture
from .plan import Plan, ProductPlan, build_plan
from .programmes import seed_curation, seed_matching
from .vocabulary import KABUPATEN
from .workload import seed_workload

DEMO_PASSWORD = "Kalbar-Demo-2026"
PROVINCE_USERNAME = "admin.kalbar"
SANGGAU_USERNAME = "admin.sanggau"
OWNER_USERNAME = "pemilik.demo"
# The demo officials' authenticator secret (TOTP, base32): known on purpose, so the demo works
# without a phone (`manage.py demo_mfa_code` prints the current code) or with one (add this key
# to any authenticator app). Never used outside the demo data.
DEMO_TOTP_SECRET = "SIPIKALBARDEMO2345SIPIKALBARDEMO"
CHANGE_REASON = "Data demo (seed_demo)"
VERIFIED_AT = datetime.datetime(2026, 9, 1, 9, 0, tzinfo=datetime.UTC)


class SeedError(Exception):
    """The database is not ready for the demo data (message in Indonesian)."""


@dataclass
class SeedResult:
    created: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    photo_seconds: float = 0.0


def region_pools() -> tuple[dict[str, list[str]], dict[str, str], dict[str, str]]:
    """Desa/kelurahan codes per kab/kota, desa names, and kab/kota names, from the database."""
    rows = Region.objects.filter(
        level__in=(Region.Level.DESA, Region.Level.KELURAHAN),
        code__startswith=PROVINCE_CODE + ".",
    ).values_list("code", "name")
    desa_by_kab: dict[str, list[str]] = defaultdict(list)
    names: dict[str, str] = {}
    for code, name in rows:
        desa_by_kab[code[:5]].append(code)
        names[code] = name
    for codes in desa_by_kab.values():
        codes.sort()
    kab_names = dict(Region.objects.filter(code__in=list(KABUPATEN)).values_list("code", "name"))
    missing = sorted(set(KABUPATEN) - {k for k in kab_names if desa_by_kab.get(k)})
    if missing:
        raise SeedError(
            "Data wilayah Kalimantan Barat belum dimuat (tidak ada desa/kelurahan untuk "
            f"{', '.join(missing)}). Jalankan dulu: python manage.py load_regions"
        )
    return dict(desa_by_kab), names, kab_names


# --- accounts --------------------------------------------------------------------------------
def _ensure_official(result: SeedResult, user, kabupaten_id: str | None, position: str) -> None:
    """Make ``user`` an official through the back-office service (role group, is_staff), once."""
    from ikm.services import official_assign

    if Official.objects.filter(user=user).exists():
        return
    official_assign(user=user, kabupaten_id=kabupaten_id, position=position)
    result.created["pejabat"] += 1
    if kabupaten_id is None:
        # The demo province account shows the personal-data features (NIK), granted deliberately.
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label="ikm", codename="view_nik")
        )


def _ensure_demo_mfa(result: SeedResult, user) -> None:
    """A confirmed TOTP device with the known demo secret, unless the account enrolled its own."""
    from accounts.mfa import demo_device, has_confirmed_device

    if not has_confirmed_device(user):
        demo_device(user=user, secret_base32_value=DEMO_TOTP_SECRET)
        result.created["perangkat MFA"] += 1


def _ensure_user(result: SeedResult, username: str, **fields) -> object:
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults=fields)
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        result.created["akun"] += 1
    return user


def seed_accounts(result: SeedResult):
    province = _ensure_user(
        result,
        PROVINCE_USERNAME,
        first_name="Admin",
        last_name="Disperindag Kalbar",
        email="admin.kalbar@example.go.id",
        is_staff=True,
    )
    _ensure_official(result, province, None, "Pejabat Fungsional Penyuluh Perindustrian")
    sanggau = _ensure_user(
        result,
        SANGGAU_USERNAME,
        first_name="Admin",
        last_name="Disperindag Sanggau",
        email="admin.sanggau@example.go.id",
        is_staff=True,
    )
    _ensure_official(result, sanggau, "61.03", "Kepala Seksi Industri Kecil")
    _ensure_demo_mfa(result, province)
    _ensure_demo_mfa(result, sanggau)
    owner = _ensure_user(
        result,
        OWNER_USERNAME,
        first_name="Siti",
        last_name="Rahmah",
        email="pemilik.demo@example.id",
    )
    return province, owner


# --- records ---------------------------------------------------------------------------------
def _free_nibs(plan: Plan, new_slugs: set[str]) -> set[str]:
    wanted = [u.nib for u in plan.units if u.nib and u.slug in new_slugs]
    taken = set(IKMUnit.objects.filter(nib__in=wanted).values_list("nib", flat=True))
    return set(wanted) - taken


def seed_records(plan: Plan, result: SeedResult, province, owner) -> dict[str, int]:
    """Sentra, units, products, links and certificates; returns product ids by slug."""
    # Sentra
    sentra_ids: dict[str, int] = {}
    for name, desa, group, description in plan.sentra:
        sentra, created = Sentra.objects.get_or_create(
            name=name,
            desa_id=desa,
            defaults={"commodity_group": group, "description": description},
        )
        sentra_ids[name] = sentra.pk
        result.created["sentra"] += int(created)

    # Units
    existing = set(
        IKMUnit.objects.filter(slug__in=[u.slug for u in plan.units]).values_list("slug", flat=True)
    )
    new_slugs = {u.slug for u in plan.units} - existing
    free_nibs = _free_nibs(plan, new_slugs)
    wanted_digests = {u.slug: nik_module.digest(u.nik) for u in plan.units if u.nik}
    taken_digests = set(
        IKMUnit.objects.filter(nik_digest__in=list(wanted_digests.values())).values_list(
            "nik_digest", flat=True
        )
    )
    owner_unit_slug = next(
        (u.slug for u in plan.units if u.kab == "61.03" and u.hero_stars), None
    ) or next((u.slug for u in plan.units if u.kab == "61.03"), None)
    new_units = []
    for u in plan.units:
        if u.slug not in new_slugs:
            continue
        unit = IKMUnit(
            name=u.name,
            slug=u.slug,
            owner_name=u.owner_name,
            owner_address=u.address if u.nik else "",
            nib=u.nib if u.nib in free_nibs else None,
            npwp=u.npwp,
            kbli=u.family.kbli,
            commodity_group=u.family.group,
            description=u.description,
            address=u.address,
            desa_id=u.desa,
            latitude=u.latitude,
            longitude=u.longitude,
            phone=u.phone,
            whatsapp=u.whatsapp,
            email=u.email,
            phone_public=bool(u.phone),
            whatsapp_public=True,
            email_public=bool(u.email),
            year_established=u.year_established,
            workers=u.workers,
            investment=u.investment,
            capacity=u.capacity,
            capacity_unit=u.family.capacity_unit if u.capacity else "",
            production_value=u.production_value,
            sentra_id=sentra_ids.get(u.sentra) if u.sentra else None,
            owner=owner if u.slug == owner_unit_slug else None,
            verified=u.verified,
            verified_at=VERIFIED_AT if u.verified else None,
            verified_by=province if u.verified else None,
        )
        if u.nik and wanted_digests[u.slug] not in taken_digests:
            unit_set_nik(unit, u.nik)
        new_units.append(unit)
    if new_units:
        bulk_create_with_history(
            new_units,
            IKMUnit,
            batch_size=500,
            default_user=province,
            default_change_reason=CHANGE_REASON,
        )
    result.created["unit"] += len(new_units)
    unit_ids = dict(
        IKMUnit.objects.filter(slug__in=[u.slug for u in plan.units]).values_list("slug", "id")
    )

    # Products
    plan_products = [(u, p) for u in plan.units for p in u.products]
    existing = set(
        Product.objects.filter(slug__in=[p.slug for _u, p in plan_products]).values_list(
            "slug", flat=True
        )
    )
    new_products = [
        Product(
            unit_id=unit_ids[u.slug],
            name=p.name,
            slug=p.slug,
            category=p.category,
            description=p.description,
            price=p.price,
            price_unit=p.price_unit,
            is_published=p.is_published,
            is_selected=p.is_selected,
        )
        for u, p in plan_products
        if p.slug not in existing
    ]
    if new_products:
        bulk_create_with_history(
            new_products,
            Product,
            batch_size=500,
            default_user=province,
            default_change_reason=CHANGE_REASON,
        )
    result.created["produk"] += len(new_products)
    product_ids = dict(
        Product.objects.filter(slug__in=[p.slug for _u, p in plan_products]).values_list(
            "slug", "id"
        )
    )

    # Marketplace links
    wanted_links = {
        (product_ids[p.slug], platform, url) for _u, p in plan_products for platform, url in p.links
    }
    have_links = set(
        MarketplaceLink.objects.filter(product_id__in=list(product_ids.values())).values_list(
            "product_id", "platform", "url"
        )
    )
    missing_links = [
        MarketplaceLink(product_id=pid, platform=platform, url=url)
        for pid, platform, url in sorted(wanted_links - have_links)
    ]
    MarketplaceLink.objects.bulk_create(missing_links, batch_size=1000)
    result.created["tautan marketplace"] += len(missing_links)

    # Certificates
    plan_certs = [(u, c, validate_number(c.type, c.number)) for u, c in plan.certs]
    have_certs = set(
        Certification.objects.filter(number__in=[n for _u, _c, n in plan_certs]).values_list(
            "type", "number"
        )
    )
    new_certs: list[tuple[Certification, list[str]]] = []
    for u, c, number in plan_certs:
        if (c.type, number) in have_certs:
            continue
        new_certs.append(
            (
                Certification(
                    type=c.type,
                    number=number,
                    issuer=c.issuer,
                    issued_on=c.issued_on,
                    valid_until=c.valid_until,
                    revoked_at=c.revoked_at,
                    revoked_reason=c.revoked_reason,
                    ovop_stars=c.ovop_stars,
                    ovop_year=c.ovop_year,
                    unit_id=unit_ids[u.slug],
                ),
                c.product_slugs,
            )
        )
    if new_certs:
        bulk_create_with_history(
            [cert for cert, _s in new_certs],
            Certification,
            batch_size=500,
            default_user=province,
            default_change_reason=CHANGE_REASON,
        )
        through = Certification.products.through
        through.objects.bulk_create(
            [
                through(certification_id=cert.pk, product_id=product_ids[slug])
                for cert, slugs in new_certs
                for slug in slugs
            ],
            batch_size=1000,
        )
    for cert, _slugs in new_certs:
        result.created[f"sertifikat {cert.type}"] += 1
    return product_ids


# --- photos ----------------------------------------------------------------------------------
def _render(job: tuple[str, str, str, tuple, str]) -> tuple[str, ProcessedPhoto]:
    slug, name, place, colors, motif = job
    data = product_picture(slug=slug, name=name, place=place, colors=colors, motif=motif)
    return slug, process_image(data)


def seed_photos(
    plan: Plan,
    result: SeedResult,
    product_ids: dict[str, int],
    kab_names: dict[str, str],
    *,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    with_photo = set(
        ProductPhoto.objects.filter(product_id__in=list(product_ids.values()))
        .values_list("product_id", flat=True)
        .distinct()
    )
    # One picture per product type (the look of a stock photo, captioned with its kab/kota when
    # the type is made in one place only), stored for every product of that type through
    # photo_add: each product gets its own files and renditions.
    places: dict[str, set[str]] = defaultdict(set)
    for u in plan.units:
        for p in u.products:
            places[p.picture_name or p.name].add(u.kab)
    todo: dict[tuple[str, str], list[ProductPlan]] = defaultdict(list)
    jobs = []
    for u in plan.units:
        for p in u.products:
            if product_ids[p.slug] in with_photo:
                continue
            picture = p.picture_name or p.name
            place = kab_names[u.kab] if len(places[picture]) == 1 else "Kalimantan Barat"
            key = (picture, place)
            if key not in todo:
                jobs.append((slugify(" ".join(key)), key[0], key[1], p.colors, p.motif))
            todo[key].append(p)
    if not jobs:
        return
    total = sum(len(v) for v in todo.values())
    products = Product.objects.in_bulk([product_ids[p.slug] for v in todo.values() for p in v])
    if workers is None:
        workers = os.cpu_count() or 1
    started = time.perf_counter()

    def store(job_slug: str, processed: ProcessedPhoto) -> None:
        # One transaction per picture type (a few products): far fewer commits than one per
        # photo; if it fails, the files of the photos it had added are removed with it.
        added: list[ProductPhoto] = []
        try:
            with transaction.atomic():
                for p in todo[keys[job_slug]]:
                    added.append(
                        photo_add(
                            product=products[product_ids[p.slug]],
                            processed=processed,
                            alt_text=f"Foto {p.name}",
                        )
                    )
        except BaseException:
            for photo in added:
                for name in photo_files(photo):
                    default_storage.delete(name)
            raise
        for _photo in added:
            result.created["foto produk"] += 1
            if progress and result.created["foto produk"] % 200 == 0:
                progress(result.created["foto produk"], total)

    keys = {job[0]: (job[1], job[2]) for job in jobs}
    if workers > 1 and len(jobs) > 8:
        # Fork: workers only draw and encode (no database, no storage); the parent writes.
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(workers) as pool:
            for job_slug, processed in pool.imap_unordered(_render, jobs, chunksize=4):
                store(job_slug, processed)
    else:
        for job in jobs:
            store(*_render(job))
    result.photo_seconds = time.perf_counter() - started


# --- entry point -----------------------------------------------------------------------------
def seed_demo(
    *,
    scale: float = 1.0,
    photos: bool = True,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SeedResult:
    """Create whatever of the demo data set is missing; return what was created."""
    started = time.perf_counter()
    result = SeedResult()
    desa_by_kab, desa_names, kab_names = region_pools()
    plan = build_plan(desa_by_kab, desa_names, scale=scale)
    with transaction.atomic():
        province, owner = seed_accounts(result)
        product_ids = seed_records(plan, result, province, owner)
    with transaction.atomic():
        # The officials' work: requests in every status, claims, expiring certificates and
        # quality findings for both demo officials' dashboards (demo/workload.py).
        seed_workload(
            result,
            province=province,
            sanggau=get_user_model().objects.get(username=SANGGAU_USERNAME),
            owner=owner,
            change_reason=CHANGE_REASON,
        )
    with transaction.atomic():
        # The Griya IKM showroom's consignment ledger (demo/consignment.py).
        seed_consignment(result, province=province, owner=owner)
    with transaction.atomic():
        # Events with registrations, a waitlist and attendance certificates (demo/events.py).
        seed_events(
            result,
            province=province,
            sanggau=get_user_model().objects.get(username=SANGGAU_USERNAME),
            owner=owner,
        )
    with transaction.atomic():
        # Curation rounds and business-matching requests (demo/programmes.py).
        sanggau = get_user_model().objects.get(username=SANGGAU_USERNAME)
        seed_curation(result, province=province, sanggau=sanggau, owner=owner)
        seed_matching(result, province=province, owner=owner)
    if photos:
        seed_photos(plan, result, product_ids, kab_names, workers=workers, progress=progress)
    result.seconds = time.perf_counter() - started
    return result


def demo_counts() -> dict[str, object]:
    """What the database holds (all data, not only demo rows)."""
    units = IKMUnit.objects.all()
    return {
        "unit IKM": units.count(),
        "kab/kota dengan unit": units.values("kabupaten_code").distinct().count(),
        "unit terverifikasi": units.filter(verified=True).count(),
        "produk": Product.objects.count(),
        "produk tayang": Product.objects.filter(is_published=True).count(),
        "produk terseleksi": Product.objects.filter(is_selected=True).count(),
        "foto produk": ProductPhoto.objects.count(),
        "tautan marketplace": MarketplaceLink.objects.count(),
        "sentra": Sentra.objects.count(),
        "sertifikat": dict(
            Certification.objects.values_list("type").annotate(n=Count("id")).order_by("type")
        ),
        "sertifikat berlaku/kedaluwarsa/dicabut": dict(
            Counter(
                Certification.objects.with_status(timezone.localdate()).values_list(
                    "current_status", flat=True
                )
            )
        ),
        "skala": dict(
            IKMUnit.objects.values_list("scale").annotate(n=Count("id")).order_by("scale")
        ),
    }
