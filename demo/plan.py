"""The demo data set as a plan: a pure, deterministic function of the region codes and a seed.

It never touches the database; ``seed_demo`` writes it, keyed by slug, NIB and certificate
number, so a second run changes nothing.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.utils.text import slugify

from .vocabulary import (
    BRANDS,
    CENTRES,
    CERT_TYPES,
    FAMILIES,
    FIRST_NAMES,
    HEROES,
    KABUPATEN,
    LAST_NAMES,
    REFERENCE_DATE,
    SEED,
    SELLING_POINTS,
    SENTRA,
    STREETS,
    Family,
)


@dataclass
class UnitPlan:
    slug: str
    name: str
    owner_name: str
    family: Family
    kab: str
    desa: str
    sentra: str | None = None
    nib: str | None = None
    nik: str | None = None
    npwp: str = ""
    description: str = ""
    address: str = ""
    whatsapp: str = ""
    phone: str = ""
    email: str = ""
    year_established: int | None = None
    workers: int | None = None
    investment: int | None = None
    capacity: int | None = None
    production_value: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    verified: bool = True
    hero_stars: int | None = None
    brand: str = ""
    products: list[ProductPlan] = field(default_factory=list)
    certs: list[CertPlan] = field(default_factory=list)


@dataclass
class ProductPlan:
    slug: str
    name: str
    category: str
    description: str
    price: int
    price_unit: str
    is_published: bool
    is_selected: bool
    colors: tuple[tuple[int, int, int], ...]
    motif: str
    picture_name: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class CertPlan:
    type: str
    number: str
    issuer: str
    issued_on: datetime.date
    valid_until: datetime.date | None
    product_slugs: list[str]
    ovop_stars: int | None = None
    ovop_year: int | None = None
    revoked_at: datetime.date | None = None
    revoked_reason: str = ""


@dataclass
class Plan:
    units: list[UnitPlan]
    sentra: list[tuple[str, str, str, str]]  # name, desa, group, description

    @property
    def products(self) -> list[ProductPlan]:
        return [p for u in self.units for p in u.products]

    @property
    def certs(self) -> list[tuple[UnitPlan, CertPlan]]:
        return [(u, c) for u in self.units for c in u.certs]


ISSUERS = {
    "halal": "BPJPH",
    "merek": "DJKI Kemenkum",
    "desain_industri": "DJKI Kemenkum",
    "hak_cipta": "DJKI Kemenkum",
    "paten": "DJKI Kemenkum",
    "ovop": "Kemenperin (Ditjen IKMA)",
    "spp_irt": "Pemerintah Kabupaten/Kota (OSS)",
    "sni": "LSPro Baristand Industri Pontianak",
    "bpom_md": "BPOM",
}


def _years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _price(rng: random.Random, lo: int, hi: int) -> int:
    step = 500 if hi <= 50_000 else 5_000 if hi <= 1_000_000 else 50_000
    return rng.randrange(lo // step, hi // step + 1) * step


def _person(rng: random.Random) -> str:
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    return ("Hj. " if rng.random() < 0.08 else "") + name


def _dedupe(slug: str, taken: set[str]) -> str:
    base, n = slug[:200], 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    taken.add(slug)
    return slug


def _marketplace_links(rng: random.Random, shop: str, product_slug: str, n: int):
    shop = shop.replace("-", "")[:24]
    pid = rng.randrange(10**9, 10**10)
    makers = {
        "shopee": lambda: (
            f"https://shopee.co.id/{product_slug}-i.{rng.randrange(10**8, 10**9)}.{pid}"
        ),
        "tokopedia": lambda: f"https://www.tokopedia.com/{shop}/{product_slug}",
        "lazada": lambda: f"https://www.lazada.co.id/products/{product_slug}-i{pid}.html",
        "blibli": lambda: f"https://www.blibli.com/p/{product_slug}/ps--{shop[:3].upper()}-{pid}",
        "bukalapak": lambda: f"https://www.bukalapak.com/p/oleh-oleh/{pid:x}-jual-{product_slug}",
    }
    platforms = rng.sample(
        ["shopee", "shopee", "tokopedia", "tokopedia", "lazada", "blibli", "bukalapak"],
        k=min(n + 2, 7),
    )
    seen: list[str] = []
    for p in platforms:
        if p not in seen:
            seen.append(p)
        if len(seen) == n:
            break
    return [(p, makers[p]()) for p in seen]


def build_plan(
    desa_by_kab: dict[str, list[str]],
    desa_names: dict[str, str],
    *,
    scale: float = 1.0,
    seed: int = SEED,
) -> Plan:
    """A deterministic description of the demo data.

    ``desa_by_kab`` maps each kab/kota code to its sorted desa/kelurahan codes; ``desa_names``
    maps a desa code to its name. At ``scale`` 1.0 there are at least 300 units and 1,000
    products in all 14 kab/kota. A smaller scale (tests) keeps the first units of each kab/kota
    of the full plan, so a small data set is a subset of the full one.
    """
    plan = _build_plan(desa_by_kab, desa_names, scale=max(scale, 1.0), seed=seed)
    if scale >= 1.0:
        return plan
    kept: list[UnitPlan] = []
    for kab, (count, _families) in KABUPATEN.items():
        in_kab = [u for u in plan.units if u.kab == kab]
        kept += in_kab[: max(3, round(count * scale))]
    return _finish(kept, plan.sentra)


def _finish(units: list[UnitPlan], sentra: list[tuple[str, str, str, str]]) -> Plan:
    """Keep the sentra that have at least five units (rules.SENTRA_MIN_UNITS)."""
    counts: dict[str, int] = {}
    for u in units:
        if u.sentra:
            counts[u.sentra] = counts.get(u.sentra, 0) + 1
    sentra = [s for s in sentra if counts.get(s[0], 0) >= 5]
    names = {s[0] for s in sentra}
    for u in units:
        if u.sentra not in names:
            u.sentra = None
    return Plan(units=units, sentra=sentra)


def _build_plan(
    desa_by_kab: dict[str, list[str]],
    desa_names: dict[str, str],
    *,
    scale: float,
    seed: int,
) -> Plan:
    rng = random.Random(seed)
    unit_slugs: set[str] = set()
    product_slugs: set[str] = set()
    units: list[UnitPlan] = []
    counters = dict.fromkeys(CERT_TYPES, 0)

    sentra_quota = {key: [name, desa, n] for name, desa, key, n in SENTRA}
    hero_by_kab_family = {(h[0], h[1]): h for h in HEROES}

    def pick_desa(kab: str, fam: Family) -> str:
        pool = desa_by_kab[kab]
        if fam.kecamatan:
            near = [c for c in pool if c[:8] in fam.kecamatan]
            if near:
                pool = near
        return rng.choice(pool)

    for kab, (count, families) in KABUPATEN.items():
        n_units = max(3, round(count * scale))
        weights = [f.weight for f in families]
        # Every family of the kab/kota appears at least once, heroes first.
        chosen = list(families) + rng.choices(families, weights=weights, k=n_units - len(families))
        chosen = chosen[:n_units]
        for fam in chosen:
            hero = hero_by_kab_family.pop((kab, fam.key), None)
            sentra = None
            quota = sentra_quota.get(fam.key)
            if hero:
                _k, _f, name, owner, desa, stars = hero
                brand = ""
                if quota and quota[1] == desa and quota[2] > 0:
                    sentra, quota[2] = quota[0], quota[2] - 1
            else:
                owner = _person(rng)
                if quota and quota[1][:5] == kab and quota[2] > 0:
                    sentra, desa, quota[2] = quota[0], quota[1], quota[2] - 1
                else:
                    desa = pick_desa(kab, fam)
                prefix = rng.choice(fam.unit_prefixes)
                if rng.random() < 0.3:
                    brand = ""
                    name = f"{prefix} {owner.replace('Hj. ', 'Bu ').split()[0]} {owner.split()[-1]}"
                else:
                    brand = rng.choice(BRANDS)
                    name = f"{prefix} {brand}"
                stars = None
            slug = _dedupe(slugify(name), unit_slugs)
            if slug != slugify(name):
                name = f"{name} {desa_names.get(desa, '')}".strip()
                unit_slugs.discard(slug)
                slug = _dedupe(slugify(name), unit_slugs)
            unit = UnitPlan(
                slug=slug,
                name=name,
                owner_name=owner,
                family=fam,
                kab=kab,
                desa=desa,
                sentra=sentra,
                hero_stars=stars,
                brand=brand,
            )
            _fill_unit(rng, unit, desa_names, len(units))
            _plan_products(rng, unit, product_slugs)
            units.append(unit)

    # Scale 1.0 promises at least 1,000 products: top up the smallest units if needed.
    wanted = round(1000 * scale) if scale >= 1 else 0
    k = 0
    while len([p for u in units for p in u.products]) < wanted and k < 20 * len(units):
        _plan_products(rng, units[k % len(units)], product_slugs, extra=1)
        k += 1

    for i, unit in enumerate(units):
        _plan_certs(rng, unit, counters, i)
    _ensure_every_type(units, counters)

    sentra = [
        (
            name,
            desa,
            FAMILIES[key].group,
            f"Sentra IKM {FAMILIES[key].unit_prefixes[0].lower()} di {desa_names.get(desa, desa)}.",
        )
        for name, desa, key, _n in SENTRA
    ]
    return _finish(units, sentra)


def _fill_unit(rng: random.Random, unit: UnitPlan, desa_names: dict[str, str], i: int) -> None:
    fam = unit.family
    desa_name = desa_names.get(unit.desa, "")
    level = "Kelurahan" if unit.desa.split(".")[-1].startswith("1") else "Desa"
    unit.year_established = rng.randint(1985, 2023)
    unit.description = (
        f"{fam.unit_description} Berdiri sejak {unit.year_established} di {level} {desa_name}."
    )
    unit.address = f"{rng.choice(STREETS)} No. {rng.randint(1, 250)}, {level} {desa_name}"
    # Phones as stored (E.164, ikm.identifiers.normalize_phone).
    unit.whatsapp = f"+628{rng.choice('1257')}{rng.randint(10**8, 10**9 - 1)}"
    if rng.random() < 0.3:
        unit.phone = f"+62561{rng.randint(700000, 799999)}"
    if rng.random() < 0.35:
        unit.email = f"{unit.slug.replace('-', '')[:20]}@gmail.com"
    # NIB: 13 digits, unique (multiplier coprime with 10^8).
    if rng.random() < 0.65 or unit.hero_stars:
        unit.nib = f"91203{(i * 7919 + 24571) % 10**8:08d}"
    if rng.random() < 0.45 or unit.hero_stars:
        kab2, kec2 = unit.desa[3:5], unit.desa[6:8]
        day = rng.randint(1, 28) + (40 if rng.random() < 0.5 else 0)
        unit.nik = (
            f"61{kab2}{kec2}{day:02d}{rng.randint(1, 12):02d}{rng.randint(60, 99):02d}"
            f"{(i + 1) % 10000:04d}"
        )
    if unit.nib and rng.random() < 0.5:
        unit.npwp = f"{rng.randint(10**14, 10**15 - 1)}"
    roll = rng.random()
    if unit.hero_stars:
        unit.workers, unit.investment = rng.randint(12, 35), rng.randint(8, 30) * 100_000_000
    elif roll < 0.03:
        unit.workers = unit.investment = None  # not reported yet
    elif roll < 0.05:  # above the IKM thresholds: flagged for an official
        unit.workers, unit.investment = rng.randint(60, 250), rng.randint(16, 60) * 1_000_000_000
    elif roll < 0.17:  # menengah
        if rng.random() < 0.5:
            unit.workers, unit.investment = rng.randint(20, 90), rng.randint(5, 140) * 100_000_000
        else:
            unit.workers, unit.investment = rng.randint(5, 19), rng.randint(10, 60) * 100_000_000
    else:
        unit.workers = rng.randint(1, 19)
        unit.investment = rng.randint(1, 180) * 5_000_000
    if unit.workers:
        unit.capacity = unit.workers * rng.randint(200, 2000)
        unit.production_value = (unit.investment or 0) // 2 + unit.workers * rng.randint(
            20, 80
        ) * 1_000_000
    lat, lon = CENTRES[unit.kab]
    unit.latitude = round(lat + rng.uniform(-0.08, 0.08), 6)
    unit.longitude = round(lon + rng.uniform(-0.08, 0.08), 6)
    unit.verified = bool(unit.hero_stars) or rng.random() < 0.9


def _plan_products(
    rng: random.Random, unit: UnitPlan, product_slugs: set[str], extra: int | None = None
) -> None:
    fam = unit.family
    n = extra if extra is not None else rng.choice((2, 3, 3, 4, 4, 5))
    used = {p.name for p in unit.products}
    candidates = [t for t in fam.products if t.name not in used]
    if unit.hero_stars and not unit.products:
        candidates = list(fam.products)  # heroes make the whole range
        n = len(candidates)
    rng.shuffle(candidates)
    brand = unit.brand
    for ptype in candidates[:n]:
        name = ptype.name
        if rng.random() < 0.35 and brand and brand.lower() not in name.lower():
            name = f"{name} {brand}"
        slug = _dedupe(slugify(f"{name} {unit.slug}")[:200], product_slugs)
        published = unit.verified and rng.random() < 0.93
        selected = published and (bool(unit.hero_stars) or rng.random() < 0.06)
        description = " ".join(
            s
            for s in (
                ptype.description,
                fam.unit_description.split(";")[0].rstrip(".") + ".",
                rng.choice(SELLING_POINTS),
            )
            if s
        )
        product = ProductPlan(
            slug=slug,
            name=name,
            category=ptype.category,
            description=description,
            price=_price(rng, *ptype.price),
            price_unit=ptype.price_unit,
            is_published=published,
            is_selected=selected,
            colors=fam.colors,
            motif=fam.motif,
            picture_name=ptype.name,
        )
        if rng.random() < 0.45:
            product.links = _marketplace_links(rng, unit.slug, slug, rng.choice((1, 1, 2, 3)))
        unit.products.append(product)


def _next(counters: dict[str, int], cert_type: str) -> int:
    counters[cert_type] += 1
    return counters[cert_type]


def _cert_number(cert_type: str, n: int, unit: UnitPlan, issued: datetime.date) -> str:
    kab = unit.kab.replace(".", "")
    if cert_type == "halal":
        return f"ID{kab}1100{n:07d}{issued:%m%y}"
    if cert_type == "merek":
        return f"IDM000{n + 480000:06d}"
    if cert_type == "desain_industri":
        return f"IDD000{n + 71000:06d}"
    if cert_type == "hak_cipta":
        return f"EC{issued.year}{n + 10000:07d}"
    if cert_type == "paten":
        return f"IDS000{n + 6000:06d}"
    if cert_type == "ovop":
        return f"{n:03d}/IKMA/KEP/OVOP/{kab}/{issued.year}"
    if cert_type == "spp_irt":
        return f"2{(n % 15) + 1:02d}{kab}{n:06d}{(issued.year + 5) % 100:02d}"
    if cert_type == "sni":
        return f"LSPRO-BARISTAND-PTK/{n:04d}/SNI/{issued.year}"
    if cert_type == "bpom_md":
        return f"MD{224600000000 + n * 137:012d}"
    raise ValueError(cert_type)


def _day(rng: random.Random, first_year: int, last_year: int) -> datetime.date:
    return datetime.date(rng.randint(first_year, last_year), rng.randint(1, 12), rng.randint(1, 28))


def _add_cert(
    rng: random.Random,
    unit: UnitPlan,
    counters: dict[str, int],
    cert_type: str,
    products: list[ProductPlan],
    *,
    issued: datetime.date | None = None,
    stars: int | None = None,
) -> CertPlan:
    n = _next(counters, cert_type)
    issued = issued or _day(rng, 2020, 2026)
    if issued > REFERENCE_DATE:
        issued = REFERENCE_DATE
    valid_until = None
    ovop_year = None
    if cert_type == "halal":
        # Under UU 6/2023 a halal certificate has no end date; older ones had four years.
        if issued < datetime.date(2023, 4, 1):
            valid_until = _years(issued, 4)
    elif cert_type in ("merek", "desain_industri", "paten"):
        valid_until = _years(issued, 10)
    elif cert_type == "ovop":
        ovop_year = issued.year
        valid_until = _years(issued, 2)  # re-assessed every two years
        stars = stars or rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5))
    elif cert_type == "spp_irt":
        valid_until = _years(issued, 5)
    elif cert_type in ("sni", "bpom_md"):
        valid_until = _years(issued, 4 if cert_type == "sni" else 5)
    cert = CertPlan(
        type=cert_type,
        number=_cert_number(cert_type, n, unit, issued),
        issuer=ISSUERS[cert_type],
        issued_on=issued,
        valid_until=valid_until,
        product_slugs=[p.slug for p in products],
        ovop_stars=stars if cert_type == "ovop" else None,
        ovop_year=ovop_year,
    )
    unit.certs.append(cert)
    return cert


FOOD_GROUPS = ("makanan", "minuman", "herbal")


def _plan_certs(rng: random.Random, unit: UnitPlan, counters: dict[str, int], i: int) -> None:
    fam, products = unit.family, unit.products
    if not products:
        return
    food = [p for p in products if p.category in FOOD_GROUPS]
    if unit.hero_stars:
        # The 2015 decree named them; the current assessment is recent.
        _add_cert(
            rng,
            unit,
            counters,
            "ovop",
            products[:3],
            issued=datetime.date(2025, 8, 14),
            stars=unit.hero_stars,
        )
        _add_cert(rng, unit, counters, "merek", products, issued=datetime.date(2016, 3, 2))
        if food:
            _add_cert(rng, unit, counters, "halal", food, issued=datetime.date(2024, 2, 12))
            _add_cert(rng, unit, counters, "spp_irt", food[:1], issued=datetime.date(2022, 6, 1))
            _add_cert(rng, unit, counters, "bpom_md", food[:1], issued=datetime.date(2023, 9, 5))
        if unit.family.key in ("aloe", "keramik"):
            _add_cert(rng, unit, counters, "paten", products[:1], issued=datetime.date(2019, 5, 20))
        if unit.family.key == "keramik":
            _add_cert(rng, unit, counters, "sni", products[:2], issued=datetime.date(2024, 4, 18))
        return
    for cert_type in fam.certs:
        chance = {
            "halal": 0.55,
            "spp_irt": 0.45,
            "merek": 0.3,
            "bpom_md": 0.08,
            "sni": 0.1,
            "desain_industri": 0.08,
            "hak_cipta": 0.08,
        }.get(cert_type, 0.05)
        if unit.workers and unit.workers >= 20 and cert_type == "bpom_md":
            chance = 0.5
        if rng.random() >= chance:
            continue
        if cert_type in ("halal", "spp_irt", "bpom_md"):
            covered = food or products
            if cert_type != "halal":
                covered = covered[:1]
        else:
            covered = products
        _add_cert(rng, unit, counters, cert_type, covered)
    if rng.random() < 0.04:
        _add_cert(rng, unit, counters, "ovop", products[:2], issued=_day(rng, 2019, 2026))


def _ensure_every_type(units: list[UnitPlan], counters: dict[str, int]) -> None:
    """Every certificate type appears; two certificates are revoked (plan-level, deterministic)."""
    rng = random.Random(SEED + 1)
    verified = [u for u in units if u.verified and u.products]
    for cert_type in CERT_TYPES:
        if counters[cert_type] == 0:
            unit = verified[(len(cert_type) * 7) % len(verified)]
            _add_cert(rng, unit, counters, cert_type, unit.products[:1])
    revoked = 0
    for unit in units:
        for cert in unit.certs:
            if (
                revoked < 2
                and cert.type in ("halal", "spp_irt")
                and not unit.hero_stars
                and (cert.valid_until is None or cert.valid_until > REFERENCE_DATE)
            ):
                cert.revoked_at = (
                    datetime.date(2025, 11, 3) if revoked == 0 else datetime.date(2026, 2, 17)
                )
                cert.revoked_reason = (
                    "Komposisi bahan berubah tanpa pelaporan."
                    if cert.type == "halal"
                    else "Sarana produksi tidak memenuhi syarat saat pemeriksaan ulang."
                )
                if cert.revoked_at < cert.issued_on:
                    cert.revoked_at = cert.issued_on
                revoked += 1
                break
        if revoked >= 2:
            break
