"""Demo curation rounds and business-matching requests (issue 16), driven through
``curation.services`` and ``matching.services`` as officials, owners and buyers would:

* a published Sanggau round whose chosen products are *produk terseleksi* now (two officials
  scored every submission; the top three above 60 were chosen);
* a Sanggau round in scoring (on the dashboard: "Kurasi menunggu penilaian");
* a province-wide round open for submissions (the demo owner can submit from the portal);
* buyers' requests in every status: new, routed to the demo owner's unit (to answer in the
  portal), answered, closed with a deal (value in Rupiah), closed without one, and spam.

Idempotent like the rest of ``seed_demo``: a round whose slug exists, or a request whose buyer
and product exist, is left alone. Owners of units without an account are represented by the
province official as submitter (the Dinas submits on their behalf, as it does on paper).
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from curation import services as curation
from curation.models import Criterion, Round, Submission, SubmissionChange
from ikm.models import IKMUnit, Region
from matching import services as matching
from matching.models import BuyerRequest, Routing
from products.models import Product

DAY = datetime.timedelta(days=1)
CRITERIA = (("Mutu dan rasa/bahan", 3, 5), ("Kemasan dan label", 2, 5), ("Kesiapan pasar", 1, 5))


def _round(result, *, slug, title, kabupaten, created_by, deadline_days, period) -> Round | None:
    if Round.objects.filter(slug=slug).exists():
        return None
    today = timezone.localdate()
    round_ = Round(
        slug=slug,
        title=title,
        description="Kurasi produk IKM untuk etalase Griya IKM dan halaman depan SIPI IKM Kalbar.",
        kabupaten=Region.objects.get(code=kabupaten) if kabupaten else None,
        submission_deadline=timezone.now() + deadline_days * DAY,
        period_start=today + period[0] * DAY,
        period_end=today + period[1] * DAY,
        created_by=created_by,
    )
    round_._history_user = created_by
    round_.save()
    for position, (name, weight, max_score) in enumerate(CRITERIA, start=1):
        Criterion.objects.create(
            round=round_, name=name, weight=weight, max_score=max_score, position=position
        )
    result.created["putaran kurasi"] += 1
    return round_


def _submit(result, round_: Round, product: Product, province) -> Submission:
    owner = product.unit.owner
    if owner is not None:
        return curation.submission_create(owner=owner, round_id=round_.pk, product_id=product.pk)
    sub = Submission.objects.create(
        round=round_, product=product, unit=product.unit, submitted_by=province
    )
    SubmissionChange.objects.create(
        submission=sub, from_status="", to_status=Submission.Status.SUBMITTED, actor=province,
        note="Diajukan Dinas atas nama pemilik (formulir kertas).",
    )  # fmt: skip
    result.created["pengajuan kurasi"] += 1
    return sub


def _products(kabupaten: str, count: int) -> list[Product]:
    return list(
        Product.objects.filter(
            unit__kabupaten_code=kabupaten, unit__verified=True, is_published=True
        ).order_by("unit_id", "pk")[: count * 3][::3][:count]
    )


def _score_all(round_: Round, officials, seed: int) -> None:
    criteria = list(round_.criteria.all())
    for index, sub in enumerate(round_.submissions.order_by("pk")):
        for k, official in enumerate(officials):
            values = {
                c.pk: max(1, min(c.max_score, (seed + index * 3 + k + c.position * 2) % 6))
                for c in criteria
            }
            curation.score_record(submission_id=sub.pk, official=official, values=values)


def seed_curation(result, *, province, sanggau, owner) -> None:
    # 1. Published in Sanggau: chosen products are produk terseleksi today.
    done = _round(
        result,
        slug="kurasi-produk-unggulan-sanggau-2026",
        title="Kurasi Produk Unggulan Kabupaten Sanggau 2026",
        kabupaten="61.03",
        created_by=sanggau,
        deadline_days=1,
        period=(-20, 160),
    )
    if done is not None:
        curation.round_open(round_id=done.pk, official=sanggau)
        for product in _products("61.03", 6):
            _submit(result, done, product, province)
        curation.round_start_scoring(round_id=done.pk, official=sanggau)
        _score_all(done, [sanggau, province], seed=7)
        curation.round_choose_top(round_id=done.pk, official=sanggau, top_n=3, min_score=60)
        for sub in done.submissions.filter(status=Submission.Status.SUBMITTED):
            curation.submission_decide(submission_id=sub.pk, official=sanggau, chosen=False)
        curation.round_publish(round_id=done.pk, official=sanggau)
    # 2. Scoring in Sanggau: waits on the officials' dashboard.
    scoring = _round(
        result,
        slug="kurasi-kemasan-sanggau-2027",
        title="Kurasi Kemasan Terbaik Sanggau 2027",
        kabupaten="61.03",
        created_by=sanggau,
        deadline_days=1,
        period=(30, 210),
    )
    if scoring is not None:
        curation.round_open(round_id=scoring.pk, official=sanggau)
        for product in _products("61.03", 4)[1:]:
            _submit(result, scoring, product, province)
        curation.round_start_scoring(round_id=scoring.pk, official=sanggau)
        first = scoring.submissions.order_by("pk").first()
        if first is not None:
            _score_all_one(first, sanggau)
    # 3. Open province-wide: the demo owner may submit from the portal.
    open_ = _round(
        result,
        slug="kurasi-griya-ikm-kalbar-2027",
        title="Kurasi Produk Griya IKM Kalimantan Barat 2027",
        kabupaten=None,
        created_by=province,
        deadline_days=30,
        period=(45, 225),
    )
    if open_ is not None:
        curation.round_open(round_id=open_.pk, official=province)
        for product in _products("61.71", 2) + _products("61.72", 2):
            _submit(result, open_, product, province)


def _score_all_one(sub: Submission, official) -> None:
    values = {c.pk: c.max_score - 1 for c in sub.round.criteria.all()}
    curation.score_record(submission_id=sub.pk, official=official, values=values)


REQUESTS = (
    # product, quantity, kab/kota, buyer, organisation, phone, email, message, target status
    ("lempok durian", "300 bungkus per bulan", "61.03", "Rina Oktaviani",
     "Toko Oleh-oleh Khatulistiwa", "081256781234", "rina@example.id",
     "Kemasan 250 g, kirim ke Pontianak.", "routed"),
    ("madu kelulut", "100 botol", "61.03", "Hendra Wijaya", "CV Borneo Herbal", "081345670001",
     "", "Perlu sertifikat halal.", "new"),
    ("tenun ikat", "20 lembar", "61.05", "Maria Ulfa", "Butik Nusantara", "",
     "maria@example.id", "Motif alami untuk koleksi pameran.", "answered"),
    ("keramik", "50 set", "61.72", "PT Hotel Kapuas", "PT Hotel Kapuas", "0561734567",
     "pengadaan@example.id", "Cendera mata tamu.", "closed_deal"),
    ("amplang", "500 bungkus", "61.04", "Dewi Lestari", "", "081234500099", "",
     "Untuk hampers Lebaran.", "closed_no_deal"),
    ("obat kuat murah", "1", None, "promo", "", "", "spam@example.invalid",
     "klik tautan ini", "rejected"),
)  # fmt: skip


def seed_matching(result, *, province, owner) -> None:
    S = BuyerRequest.Status
    owner_unit = IKMUnit.objects.filter(owner=owner, verified=True).order_by("pk").first()
    for row in REQUESTS:
        product, qty, kab, name, org, phone, email, message, target = row
        if BuyerRequest.objects.filter(buyer_name=name, product_wanted=product).exists():
            continue
        req = matching.request_create(
            product_wanted=product,
            quantity=qty,
            kabupaten_id=kab,
            buyer_name=name,
            buyer_organisation=org,
            buyer_phone=phone,
            buyer_email=email,
            message=message,
        )
        result.created["permintaan temu bisnis"] += 1
        if target == S.NEW:
            continue
        if target == S.REJECTED:
            matching.request_reject_spam(request_id=req.pk, official=province, note="Spam.")
            continue
        units = [s["unit"].pk for s in matching.suggest_units(req, province)[:2]]
        if owner_unit is not None and owner_unit.pk not in units:
            units.append(owner_unit.pk)  # the demo owner answers in the portal
        if not units:
            continue
        matching.request_route(request_id=req.pk, official=province, unit_ids=units)
        if target == S.ROUTED or owner_unit is None:
            continue
        routing = Routing.objects.get(request=req, unit=owner_unit)
        matching.routing_answer(
            routing_id=routing.pk, owner=owner, interested=True,
            offer="Sanggup memenuhi; harga grosir dan waktu kirim dua minggu.",
        )  # fmt: skip
        if target == S.CLOSED_DEAL:
            matching.request_close(
                request_id=req.pk, official=province, deal=True, value=12_500_000,
                note="Pesanan pertama 50 set.",
            )  # fmt: skip
        elif target == S.CLOSED_NO_DEAL:
            matching.request_close(
                request_id=req.pk, official=province, deal=False, note="Harga tidak cocok."
            )
