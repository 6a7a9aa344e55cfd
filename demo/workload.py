"""The officials' work in the demo data (part of ``seed_demo``): something on every dashboard item
for both demo officials (admin.kalbar sees all of it, admin.sanggau the Sanggau part).

- requests in every status, Sanggau with all nine, Kota Pontianak and Ketapang with a few; each
  with its timeline (who, when, from, to, note), waiting 1 to 35 days so the service-level colours
  all show, spread over the last months for the chart, and two documents (a PDF and a PNG) for
  the inline preview;
- pending unit claims;
- certificates ending within 30 and within 90 days (counted from the day of seeding);
- data-quality findings: a probable duplicate unit (same name in the same desa) per kab/kota;
- finished spreadsheet imports on the job list of each demo official.

Idempotent like the rest of ``seed_demo``: requests are keyed by a fixed ``client_token`` (uuid5),
certificates by (type, number), claims by (unit, user), units and accounts by slug/username; a
second run writes nothing. The timeline is written as rows (it happened in the demo's past), not
through the services, which stamp "now" and queue mail to the owners.
"""

from __future__ import annotations

import datetime
import io
import uuid
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db.models import Exists, OuterRef
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from certifications.models import (
    DEFAULT_ISSUERS,
    Certification,
    DocumentType,
    Request,
    RequestDocument,
    RequestKind,
    StatusChange,
)
from ikm.models import IKMUnit, UnitClaim
from products.models import Product

S = Request.Status
TOKEN_NAMESPACE = uuid.UUID("5b0a7c1e-2f7e-4d7b-9a4e-6b1f0d3c2a10")
APPLICANT_PASSWORDLESS = "pemohon"  # account prefix of the demo applicants (no password)

# The path to each status: (status after the step, who moves it, note).
OWNER, OFFICIAL = "owner", "official"
PATHS: dict[str, list[tuple[str, str, str]]] = {
    S.DRAFT: [],
    S.SUBMITTED: [(S.SUBMITTED, OWNER, "")],
    S.IN_REVIEW: [(S.SUBMITTED, OWNER, ""), (S.IN_REVIEW, OFFICIAL, "")],
    S.RETURNED: [
        (S.SUBMITTED, OWNER, ""),
        (S.IN_REVIEW, OFFICIAL, ""),
        (S.RETURNED, OFFICIAL, "Foto KTP buram; unggah ulang yang terbaca jelas."),
    ],
    S.RESUBMITTED: [
        (S.SUBMITTED, OWNER, ""),
        (S.IN_REVIEW, OFFICIAL, ""),
        (S.RETURNED, OFFICIAL, "Daftar bahan belum mencantumkan pemasok gula."),
        (S.RESUBMITTED, OWNER, "Daftar bahan sudah dilengkapi."),
    ],
    S.FORWARDED: [
        (S.SUBMITTED, OWNER, ""),
        (S.IN_REVIEW, OFFICIAL, ""),
        (S.FORWARDED, OFFICIAL, "Berkas lengkap, diteruskan ke lembaga penerbit."),
    ],
    S.ISSUED: [
        (S.SUBMITTED, OWNER, ""),
        (S.IN_REVIEW, OFFICIAL, ""),
        (S.FORWARDED, OFFICIAL, "Berkas lengkap, diteruskan ke lembaga penerbit."),
        (S.ISSUED, OFFICIAL, "Nomor sertifikat dicatat."),
    ],
    S.REJECTED: [
        (S.SUBMITTED, OWNER, ""),
        (S.IN_REVIEW, OFFICIAL, ""),
        (S.REJECTED, OFFICIAL, "Produk memakai bahan yang tidak dapat disertifikasi jalur ini."),
    ],
    S.WITHDRAWN: [(S.SUBMITTED, OWNER, ""), (S.WITHDRAWN, OWNER, "Usaha sedang tutup sementara.")],
}


@dataclass(frozen=True)
class DemoRequest:
    key: str  # stable name of the demo request (its client_token comes from it)
    kab: str
    status: str
    kind: str
    days: int  # days since the last (re)submission, or since it was made (drafts)
    started_days_ago: int  # when the owner made it (for the chart's months)
    owner_unit: bool = False  # on pemilik.demo's own unit


WORKLOAD = (
    # Kabupaten Sanggau: every status.
    DemoRequest("sgu-diajukan", "61.03", S.SUBMITTED, RequestKind.HALAL_SELF_DECLARE, 2, 3),
    DemoRequest("sgu-diajukan-lama", "61.03", S.SUBMITTED, RequestKind.SPP_IRT, 17, 18),
    DemoRequest("sgu-diajukan-ulang", "61.03", S.RESUBMITTED, RequestKind.MEREK, 6, 40),
    DemoRequest("sgu-diperiksa", "61.03", S.IN_REVIEW, RequestKind.HALAL_REGULAR, 11, 12),
    DemoRequest("sgu-dikembalikan", "61.03", S.RETURNED, RequestKind.SPP_IRT, 9, 24, True),
    DemoRequest("sgu-diteruskan", "61.03", S.FORWARDED, RequestKind.MEREK, 35, 70),
    DemoRequest("sgu-terbit", "61.03", S.ISSUED, RequestKind.MEREK, 120, 150),
    DemoRequest("sgu-ditolak", "61.03", S.REJECTED, RequestKind.HALAL_REGULAR, 95, 100),
    DemoRequest("sgu-dibatalkan", "61.03", S.WITHDRAWN, RequestKind.SPP_IRT, 55, 60),
    DemoRequest("sgu-konsep", "61.03", S.DRAFT, RequestKind.HALAL_SELF_DECLARE, 1, 1, True),
    # Kota Pontianak and Ketapang: what the province official sees besides Sanggau.
    DemoRequest("ptk-diajukan", "61.71", S.SUBMITTED, RequestKind.SPP_IRT, 4, 4),
    DemoRequest("ptk-diperiksa", "61.71", S.IN_REVIEW, RequestKind.HALAL_SELF_DECLARE, 8, 9),
    DemoRequest("ptk-diajukan-ulang", "61.71", S.RESUBMITTED, RequestKind.MEREK, 15, 45),
    DemoRequest("ptk-dikembalikan", "61.71", S.RETURNED, RequestKind.HALAL_REGULAR, 3, 20),
    DemoRequest("ptk-terbit", "61.71", S.ISSUED, RequestKind.SPP_IRT, 200, 210),
    DemoRequest("ptk-ditolak", "61.71", S.REJECTED, RequestKind.OVOP, 130, 140),
    DemoRequest("ktp-diajukan", "61.04", S.SUBMITTED, RequestKind.HALAL_SELF_DECLARE, 1, 1),
    DemoRequest("ktp-diteruskan", "61.04", S.FORWARDED, RequestKind.MEREK, 10, 30),
    DemoRequest("ktp-dibatalkan", "61.04", S.WITHDRAWN, RequestKind.SPP_IRT, 80, 85),
)

# Certificates ending soon: (kab, type, number, days left).
EXPIRING = (
    ("61.03", "spp_irt", "961030000090126", 12),
    ("61.03", "merek", "IDM099000101", 64),
    ("61.71", "spp_irt", "961710000090226", 25),
    ("61.71", "sni", "LSPRO-DEMO/0091/SNI/2021", 80),
    ("61.04", "merek", "IDM099000102", 45),
)
# The certificate each issued demo request recorded.
ISSUED_NUMBERS = {"sgu-terbit": "IDM099000201", "ptk-terbit": "961710000090326"}
CERT_TYPE_FOR_KIND = {
    RequestKind.MEREK: "merek",
    RequestKind.SPP_IRT: "spp_irt",
}
CLAIM_KABS = ("61.03", "61.03", "61.71", "61.04")  # pending claims, one per unit
DUPLICATE_KABS = ("61.03", "61.71")  # a probable duplicate unit in each


def _token(key: str) -> uuid.UUID:
    return uuid.uuid5(TOKEN_NAMESPACE, key)


def _applicant(result, kab: str):
    """The demo applicant of a kab/kota: an owner account without a password (it only applies)."""
    User = get_user_model()
    username = f"{APPLICANT_PASSWORDLESS}.{kab.replace('.', '')}"
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": "Pemohon",
            "last_name": f"Demo {kab}",
            "email": f"{username}@example.id",
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        result.created["akun"] += 1
    return user


def _units_with_products(kab: str) -> list[IKMUnit]:
    has_products = Exists(Product.objects.filter(unit=OuterRef("pk")))
    return list(
        IKMUnit.objects.filter(kabupaten_code=kab, verified=True)
        .exclude(slug__startswith="bench-")  # generate_bench_data's units are not the demo's
        .annotate(has_products=has_products)
        .filter(has_products=True)
        .order_by("slug")
    )


# --- tiny documents for the preview -------------------------------------------------------------
def _pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF with a few lines of text (Helvetica), with a correct cross-reference table."""

    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text_ops = ["BT", "/F1 20 Tf", "60 770 Td", f"({esc(title)}) Tj", "/F1 12 Tf"]
    for line in lines:
        text_ops += ["0 -22 Td", f"({esc(line)}) Tj"]
    text_ops.append("ET")
    stream = "\n".join(text_ops).encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def _png(caption: str) -> bytes:
    """A small card-like PNG standing in for a photographed ID card (no real person)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 300), (214, 228, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((12, 12, 467, 287), outline=(65, 118, 144), width=4)
    draw.rectangle((30, 70, 150, 230), fill=(180, 196, 210))
    draw.text((30, 28), "CONTOH DOKUMEN - DATA DEMO", fill=(20, 40, 60))
    for i, line in enumerate(caption.split("\n")):
        draw.text((170, 80 + 24 * i), line, fill=(20, 40, 60))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _documents(req: Request, unit: IKMUnit, uploader) -> None:
    pdf = _pdf(
        "Daftar produk dan bahan",
        [
            f"Unit: {unit.name}",
            f"Permohonan: {req.reference} ({req.get_kind_display()})",
            "Bahan: bahan baku lokal Kalimantan Barat, gula, garam.",
            "Dokumen contoh dari data demo SIPI IKM Kalbar.",
        ],
    )
    png = _png(f"KTP pemilik (contoh)\n{unit.owner_name}\n{unit.name}")
    for doc_type, name, content_type, data in (
        (DocumentType.PRODUCT_LIST, "daftar-produk.pdf", "application/pdf", pdf),
        (DocumentType.KTP, "ktp-pemilik.png", "image/png", png),
    ):
        RequestDocument.objects.create(
            request=req,
            doc_type=doc_type,
            file=ContentFile(data, name=name),
            original_name=name,
            content_type=content_type,
            size=len(data),
            uploaded_by=uploader,
        )


# --- the seeding --------------------------------------------------------------------------------
def _certificate(number: str, cert_type: str, unit: IKMUnit, issued_on, valid_until):
    cert, created = Certification.objects.get_or_create(
        type=cert_type,
        number=number,
        defaults={
            "issuer": DEFAULT_ISSUERS[cert_type],
            "issued_on": issued_on,
            "valid_until": valid_until,
            "unit": unit,
        },
    )
    if created:
        product = unit.products.order_by("pk").first()
        if product:
            cert.products.add(product)
    return cert, created


def seed_requests(result, *, province, sanggau, owner, now: datetime.datetime) -> None:
    have = set(
        Request.objects.filter(client_token__in=[_token(r.key) for r in WORKLOAD]).values_list(
            "client_token", flat=True
        )
    )
    owner_unit = IKMUnit.objects.filter(owner=owner).order_by("pk").first()
    pools = {kab: _units_with_products(kab) for kab in {r.kab for r in WORKLOAD}}
    used: dict[str, int] = {}
    for demo in WORKLOAD:
        if _token(demo.key) in have:
            continue
        if demo.owner_unit and owner_unit is not None:
            unit, applicant = owner_unit, owner
        else:
            pool = [u for u in pools[demo.kab] if u.pk != getattr(owner_unit, "pk", None)]
            if not pool:
                continue
            index = used.get(demo.kab, 0)
            used[demo.kab] = index + 1
            unit = pool[index % len(pool)]
            # The applicant applies for the unit (the unit itself is left as it is: still open
            # to the demo's pending claims).
            applicant = unit.owner or _applicant(result, demo.kab)
        official = sanggau if demo.kab == "61.03" else province
        path = PATHS[demo.status]
        created_at = now - datetime.timedelta(days=demo.started_days_ago, hours=3)
        # Steps are one day apart; the last (re)submission is ``days`` ago.
        last_submit = max(
            (i for i, (to, _who, _note) in enumerate(path) if to in (S.SUBMITTED, S.RESUBMITTED)),
            default=None,
        )
        times = []
        for i in range(len(path)):
            if last_submit is None:
                at = created_at + datetime.timedelta(days=i + 1)
            else:
                at = now - datetime.timedelta(days=demo.days - (i - last_submit), hours=2)
                at = max(at, created_at + datetime.timedelta(hours=i + 1))
            times.append(min(at, now))
        submitted_at = times[last_submit] if last_submit is not None else None
        decided = demo.status in (S.ISSUED, S.REJECTED, S.WITHDRAWN)
        req = Request.objects.create(
            kind=demo.kind,
            unit=unit,
            status=demo.status,
            created_by=applicant,
            notes=f"Mohon fasilitasi {RequestKind(demo.kind).label.lower()} untuk {unit.name}.",
            client_token=_token(demo.key),
            submitted_at=submitted_at,
            decided_at=times[-1] if decided and times else None,
        )
        product = unit.products.order_by("pk").first()
        if product:
            req.products.add(product)
        frm = S.DRAFT
        changes = []
        for (to, who, note), at in zip(path, times, strict=True):
            changes.append(
                StatusChange(
                    request=req,
                    from_status=frm,
                    to_status=to,
                    actor=applicant if who == OWNER else official,
                    note=note,
                    created_at=at,
                )
            )
            frm = to
        StatusChange.objects.bulk_create(changes)
        if demo.status == S.ISSUED:
            cert_type = CERT_TYPE_FOR_KIND[demo.kind]
            issued_on = timezone.localdate(times[-1])
            cert, _created = _certificate(
                ISSUED_NUMBERS[demo.key],
                cert_type,
                unit,
                issued_on,
                issued_on.replace(year=issued_on.year + (10 if cert_type == "merek" else 5)),
            )
            req.certification = cert
            req.save(update_fields=["certification"])
        if demo.status != S.DRAFT or demo.owner_unit:
            _documents(req, unit, applicant)
        Request.objects.filter(pk=req.pk).update(
            created_at=created_at, updated_at=times[-1] if times else created_at
        )
        result.created["permohonan"] += 1


def seed_expiring(result, *, today: datetime.date) -> None:
    for kab, cert_type, number, days_left in EXPIRING:
        units = _units_with_products(kab)
        if not units or Certification.objects.filter(type=cert_type, number=number).exists():
            continue
        unit = units[-1]
        valid_until = today + datetime.timedelta(days=days_left)
        years = 10 if cert_type == "merek" else 5
        issued_on = valid_until.replace(year=valid_until.year - years)
        _cert, created = _certificate(number, cert_type, unit, issued_on, valid_until)
        result.created["sertifikat segera berakhir"] += int(created)


def seed_claims(result) -> None:
    User = get_user_model()
    for n, kab in enumerate(CLAIM_KABS, start=1):
        username = f"pengklaim.{kab.replace('.', '')}.{n}"
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": "Pengklaim",
                "last_name": f"Demo {n}",
                "email": f"{username}@example.id",
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            result.created["akun"] += 1
        if UnitClaim.objects.filter(user=user).exists():
            continue
        # The n-th claim of a kab/kota goes to its n-th unit without an owner (from the end).
        nth = CLAIM_KABS[:n].count(kab) - 1
        unclaimed = list(
            IKMUnit.objects.filter(kabupaten_code=kab, owner__isnull=True)
            .exclude(slug__startswith="bench-")
            .exclude(slug__endswith="-ganda")
            .order_by("-slug")
            .values_list("pk", flat=True)[: nth + 1]
        )
        if not unclaimed:
            continue
        unit = IKMUnit.objects.get(pk=unclaimed[min(nth, len(unclaimed) - 1)])
        UnitClaim.objects.create(
            unit=unit,
            user=user,
            note="Saya pemilik usaha ini; NIB dan KTP dapat ditunjukkan saat verifikasi.",
        )
        result.created["klaim unit"] += 1


def seed_duplicates(result, *, province, change_reason: str) -> None:
    """A second record of an existing unit (same name, same desa), as an import might leave."""
    new = []
    for kab in DUPLICATE_KABS:
        units = _units_with_products(kab)
        if not units:
            continue
        original = units[0]
        slug = f"{original.slug}-ganda"[:200]
        if IKMUnit.objects.filter(slug=slug).exists():
            continue
        new.append(
            IKMUnit(
                name=original.name,
                slug=slug,
                owner_name=original.owner_name,
                commodity_group=original.commodity_group,
                kbli=original.kbli,
                address=original.address,
                desa_id=original.desa_id,
                description=original.description,
                phone=original.phone,
                whatsapp=original.whatsapp,
                email=original.email,
                verified=False,
            )
        )
    if new:
        bulk_create_with_history(
            new, IKMUnit, default_user=province, default_change_reason=change_reason
        )
        result.created["unit ganda (temuan kualitas)"] += len(new)


# Finished imports on the job list: (official, label, rows: new, changed, unchanged).
DEMO_JOBS = (
    ("sanggau", "Impor unit IKM: pendataan-sanggau-2026.xlsx", (3, 5, 16)),
    ("province", "Impor unit IKM: rekap-kalbar-triwulan-3.xlsx", (12, 40, 260)),
    ("province", "Impor produk: produk-griya-ikm.csv", (25, 8, 90)),
)


def seed_jobs(result, *, province, sanggau, now: datetime.datetime) -> None:
    """Finished spreadsheet imports (rows only: no file), so "Impor dan pekerjaan latar terakhir"
    shows something for both demo officials."""
    from jobs.models import Job

    accounts = {"province": province, "sanggau": sanggau}
    kinds = {"Impor unit": "import:ikm.ikmunit", "Impor produk": "import:products.product"}
    for n, (who, label, (new, changed, same)) in enumerate(DEMO_JOBS, start=1):
        user = accounts[who]
        if Job.objects.filter(label=label, created_by=user).exists():
            continue
        rows = new + changed + same
        started = now - datetime.timedelta(days=2 * n, hours=1)
        job = Job.objects.create(
            kind=next(k for prefix, k in kinds.items() if label.startswith(prefix)),
            label=label,
            created_by=user,
            params={"dry_run": False},
            status=Job.Status.DONE,
            done=rows,
            total=rows,
            attempts=1,
            started_at=started,
            heartbeat_at=started + datetime.timedelta(seconds=40),
            finished_at=started + datetime.timedelta(seconds=42),
            result={"new": new, "update": changed, "skip": same, "rows": rows, "errors": 0},
        )
        Job.objects.filter(pk=job.pk).update(created_at=started)
        result.created["pekerjaan latar"] += 1


def seed_workload(result, *, province, sanggau, owner, change_reason: str) -> None:
    now = timezone.now()
    seed_requests(result, province=province, sanggau=sanggau, owner=owner, now=now)
    seed_expiring(result, today=timezone.localdate(now))
    seed_claims(result)
    seed_duplicates(result, province=province, change_reason=change_reason)
    seed_jobs(result, province=province, sanggau=sanggau, now=now)
