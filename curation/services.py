"""Writes for curation rounds: the round's life cycle, submissions, scores, choices, and the
*produk terseleksi* flag the published choices give their products for the round's period.

Every verb locks its row, checks who may act (the product's owner; an official whose scope holds
the round), asks ``curation.workflow`` for the move and writes one ``SubmissionChange`` per
submission move. Rounds are audited by simple-history (``_history_user`` is the actor).

Produk terseleksi: a chosen submission of a published round whose period holds today marks its
product ``is_selected`` (saved through the model, so the catalog's triggers, the public cache
version and the product's history follow). ``holds_selection`` remembers that the round set the
flag, so when the period ends :func:`selection_sync` clears only what a round set, never a
selection an official made by hand. It runs on publishing and every morning (beat).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from certifications.models import Certification, CertificationType, RequestKind
from ikm.models import CommodityGroup
from ikm.selectors import scope_kabupaten_code
from products.models import Product

from . import workflow
from .models import Criterion, Round, Score, Submission, SubmissionChange

R = Round.Status
S = Submission.Status

# Categories whose products need halal and SPP-IRT (processed food and drink).
FOOD_CATEGORIES = (CommodityGroup.MAKANAN, CommodityGroup.MINUMAN)


# --- scope --------------------------------------------------------------------------------------
def rounds_in_scope(user, queryset: QuerySet[Round] | None = None) -> QuerySet[Round]:
    """Province officials: every round; a kab/kota official: the rounds of that kab/kota."""
    queryset = Round.objects.all() if queryset is None else queryset
    try:
        code = scope_kabupaten_code(user)
    except PermissionError:
        return queryset.none()
    return queryset if code is None else queryset.filter(kabupaten_id=code)


def ensure_round_scope(user, round_: Round) -> None:
    if not rounds_in_scope(user).filter(pk=round_.pk).exists():
        raise PermissionDenied(_("Putaran kurasi ini di luar wilayah kewenangan Anda."))


def ensure_can_create_round(user, kabupaten_id: str | None) -> None:
    try:
        code = scope_kabupaten_code(user)
    except PermissionError as exc:
        raise PermissionDenied(_("Anda tidak punya wilayah kerja di back-office.")) from exc
    if code is not None and kabupaten_id != code:
        raise PermissionDenied(_("Anda hanya dapat membuat kurasi untuk wilayah kerja Anda."))


def open_rounds_for_unit(unit) -> QuerySet[Round]:
    """Rounds an owner of ``unit`` may submit to now (open, deadline ahead, scope holds it)."""
    return Round.objects.filter(
        Q(kabupaten__isnull=True) | Q(kabupaten_id=unit.kabupaten_code),
        status=R.OPEN,
        submission_deadline__gt=timezone.now(),
    )


# --- rounds -------------------------------------------------------------------------------------
def _lock_round(round_id: int) -> Round:
    return Round.objects.select_for_update().get(pk=round_id)


def _move_round(round_: Round, step: workflow.Transition, *, actor) -> None:
    round_.status = step.to
    fields = ["status", "updated_at"]
    if step.to == R.PUBLISHED:
        round_.published_at = timezone.now()
        fields.append("published_at")
    round_._history_user = actor
    round_.save(update_fields=fields)


@transaction.atomic
def round_open(*, round_id: int, official: AbstractBaseUser) -> Round:
    round_ = _lock_round(round_id)
    ensure_round_scope(official, round_)
    step = workflow.round_transition(round_.status, R.OPEN)
    if not round_.criteria.exists():
        raise ValidationError(
            _("Tambahkan paling sedikit satu kriteria penilaian."), code="criteria"
        )
    if round_.submission_deadline <= timezone.now():
        raise ValidationError(
            {"submission_deadline": _("Batas pendaftaran harus di masa depan.")}, code="deadline"
        )
    _move_round(round_, step, actor=official)
    return round_


@transaction.atomic
def round_start_scoring(*, round_id: int, official: AbstractBaseUser) -> Round:
    round_ = _lock_round(round_id)
    ensure_round_scope(official, round_)
    step = workflow.round_transition(round_.status, R.SCORING)
    _move_round(round_, step, actor=official)
    return round_


@transaction.atomic
def round_publish(
    *, round_id: int, official: AbstractBaseUser, today: datetime.date | None = None
) -> Round:
    """Publish the results: every submission must be decided (chosen or not chosen)."""
    round_ = _lock_round(round_id)
    ensure_round_scope(official, round_)
    step = workflow.round_transition(round_.status, R.PUBLISHED)
    undecided = round_.submissions.filter(status__in=(S.SUBMITTED, S.SCORED)).count()
    if undecided:
        raise ValidationError(
            _("%(count)d pengajuan belum diputuskan (terpilih atau tidak terpilih)."),
            code="undecided",
            params={"count": undecided},
        )
    _move_round(round_, step, actor=official)
    selection_sync(today=today, actor=official)
    _mail_results(round_)
    return round_


@transaction.atomic
def round_cancel(*, round_id: int, official: AbstractBaseUser) -> Round:
    round_ = _lock_round(round_id)
    ensure_round_scope(official, round_)
    step = workflow.round_transition(round_.status, R.CANCELLED)
    _move_round(round_, step, actor=official)
    return round_


ROUND_SERVICES = {
    R.OPEN: round_open,
    R.SCORING: round_start_scoring,
    R.PUBLISHED: round_publish,
    R.CANCELLED: round_cancel,
}


def _mail_results(round_: Round) -> None:
    """One mail per owner with a decided submission (queued in this transaction: jobs.mail)."""
    for sub in round_.submissions.filter(status__in=(S.CHOSEN, S.NOT_CHOSEN)).select_related(
        "product", "unit__owner"
    ):
        owner = sub.unit.owner
        if not owner or not owner.email:
            continue
        body = _g(
            "Hasil kurasi “%(round)s” sudah diumumkan.\n\nProduk: %(product)s\nHasil: %(result)s\n"
            "%(text)s\n"
        ) % {
            "round": round_.title,
            "product": sub.product.name,
            "result": S(sub.status).label,
            "text": workflow.owner_text(sub.status),
        }
        send_mail(
            _g("Hasil kurasi: %(round)s") % {"round": round_.title},
            body,
            settings.DEFAULT_FROM_EMAIL,
            [owner.email],
        )


# --- submissions ------------------------------------------------------------------------------
def _record(sub: Submission, step: workflow.Transition, *, actor, note: str = "") -> None:
    sub.status = step.to
    sub._history_user = actor
    sub.save(update_fields=["status", "updated_at"])
    SubmissionChange.objects.create(
        submission=sub, from_status=step.frm, to_status=step.to, actor=actor, note=note
    )


def _lock_submission(submission_id: int) -> Submission:
    return (
        Submission.objects.select_for_update()
        .select_related("round", "unit", "product")
        .get(pk=submission_id)
    )


@transaction.atomic
def submission_create(
    *, owner: AbstractBaseUser, round_id: int, product_id: int, note: str = ""
) -> Submission:
    round_ = Round.objects.select_for_update().get(pk=round_id)
    try:
        product = Product.objects.select_related("unit").get(pk=product_id, unit__owner=owner)
    except Product.DoesNotExist as exc:
        raise PermissionDenied(_("Hanya pemilik produk yang dapat mengajukannya.")) from exc
    if round_.status != R.OPEN or round_.submission_deadline <= timezone.now():
        raise ValidationError(_("Pendaftaran putaran kurasi ini sudah ditutup."), code="closed")
    if round_.kabupaten_id and product.unit.kabupaten_code != round_.kabupaten_id:
        raise ValidationError(
            {"product": _("Kurasi ini hanya untuk unit IKM di %(kab)s.")},
            code="out_of_scope",
            params={"kab": round_.kabupaten.name},
        )
    if not product.unit.verified:
        raise ValidationError(
            {"product": _("Unit IKM Anda belum diverifikasi Dinas; ajukan setelah terverifikasi.")},
            code="unverified",
        )
    try:
        with transaction.atomic():
            sub = Submission(
                round=round_,
                product=product,
                unit=product.unit,
                note=(note or "").strip(),
                submitted_by=owner,
            )
            sub._history_user = owner
            sub.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"product": _("Produk ini sudah diajukan ke putaran kurasi ini.")}, code="duplicate"
        ) from exc
    SubmissionChange.objects.create(
        submission=sub, from_status="", to_status=S.SUBMITTED, actor=owner
    )
    return sub


@transaction.atomic
def submission_withdraw(*, submission_id: int, owner: AbstractBaseUser) -> Submission:
    sub = _lock_submission(submission_id)
    if sub.unit.owner_id != getattr(owner, "pk", None):
        raise PermissionDenied(_("Hanya pemilik produk yang dapat menarik pengajuan."))
    step = workflow.submission_transition(sub.status, S.WITHDRAWN, workflow.OWNER, sub.round.status)
    _record(sub, step, actor=owner)
    return sub


def weighted_score(values: dict[int, int], criteria: Iterable[Criterion]) -> Decimal:
    """One official's score on a 0–100 scale: Σ(value / max × weight) / Σ weight × 100."""
    criteria = list(criteria)
    total_weight = sum(c.weight for c in criteria)
    total = sum(Decimal(values[c.pk]) / Decimal(c.max_score) * c.weight for c in criteria)
    return (total / total_weight * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def final_score(sub: Submission) -> Decimal | None:
    """The average of the weighted scores of the officials who scored every criterion."""
    criteria = list(sub.round.criteria.all())
    sheets: dict[int, dict[int, int]] = {}
    for score in sub.scores.all():
        sheets.setdefault(score.official_id, {})[score.criterion_id] = score.value
    complete = [
        weighted_score(values, criteria)
        for values in sheets.values()
        if all(c.pk in values for c in criteria)
    ]
    if not complete:
        return None
    return (sum(complete) / len(complete)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@transaction.atomic
def score_record(
    *, submission_id: int, official: AbstractBaseUser, values: dict[int, int]
) -> Submission:
    """An official's score sheet for a submission (every criterion; again to correct it)."""
    sub = _lock_submission(submission_id)
    ensure_round_scope(official, sub.round)
    if sub.round.status != R.SCORING:
        raise ValidationError(
            _("Penilaian hanya dapat dilakukan saat putaran berstatus “Penilaian”."),
            code="round_status",
        )
    if sub.status == S.WITHDRAWN:
        raise ValidationError(_("Pengajuan ini sudah ditarik pemiliknya."), code="withdrawn")
    criteria = list(sub.round.criteria.all())
    errors = {}
    for c in criteria:
        value = values.get(c.pk)
        if value is None:
            errors[f"c{c.pk}"] = _("Beri nilai untuk kriteria ini.")
        elif not 0 <= int(value) <= c.max_score:
            errors[f"c{c.pk}"] = _("Nilai harus antara 0 dan %(max)d.") % {"max": c.max_score}
    if errors:
        raise ValidationError(errors, code="invalid_score")
    for c in criteria:
        Score.objects.update_or_create(
            submission=sub, criterion=c, official=official, defaults={"value": int(values[c.pk])}
        )
    sub.final_score = final_score(sub)
    sub._history_user = official
    sub.save(update_fields=["final_score", "updated_at"])
    if sub.status == S.SUBMITTED:
        step = workflow.submission_transition(sub.status, S.SCORED, workflow.OFFICIAL, R.SCORING)
        _record(sub, step, actor=official)
    return sub


@transaction.atomic
def submission_decide(
    *, submission_id: int, official: AbstractBaseUser, chosen: bool, note: str = ""
) -> Submission:
    sub = _lock_submission(submission_id)
    ensure_round_scope(official, sub.round)
    to = S.CHOSEN if chosen else S.NOT_CHOSEN
    step = workflow.submission_transition(sub.status, to, workflow.OFFICIAL, sub.round.status)
    _record(sub, step, actor=official, note=(note or "").strip())
    return sub


@transaction.atomic
def round_choose_top(
    *,
    round_id: int,
    official: AbstractBaseUser,
    top_n: int,
    min_score: Decimal | int | None = None,
) -> tuple[int, int]:
    """Choose the ``top_n`` scored submissions with at least ``min_score``; the other scored
    ones are not chosen. Unscored submissions are left for a decision by hand. (chosen, not)."""
    round_ = _lock_round(round_id)
    ensure_round_scope(official, round_)
    if round_.status != R.SCORING:
        raise ValidationError(
            _("Tidak dapat dilakukan: putaran kurasi berstatus “%(status)s”."),
            code="round_status",
            params={"status": R(round_.status).label},
        )
    if top_n < 0:
        raise ValidationError({"top_n": _("Jumlah harus 0 atau lebih.")}, code="top_n")
    ranked = list(
        round_.submissions.select_for_update()
        .filter(status__in=(S.SCORED, S.CHOSEN, S.NOT_CHOSEN), final_score__isnull=False)
        .order_by("-final_score", "created_at", "id")
    )
    chosen = not_chosen = 0
    for index, sub in enumerate(ranked):
        choose = index < top_n and (min_score is None or sub.final_score >= Decimal(min_score))
        to = S.CHOSEN if choose else S.NOT_CHOSEN
        if sub.status != to:
            step = workflow.submission_transition(sub.status, to, workflow.OFFICIAL, R.SCORING)
            sub.round = round_
            _record(sub, step, actor=official, note=_g("Dipilih otomatis (peringkat teratas)."))
        if choose:
            chosen += 1
        else:
            not_chosen += 1
    return chosen, not_chosen


# --- produk terseleksi ---------------------------------------------------------------------------
def active_choices(today: datetime.date) -> QuerySet[Submission]:
    """Chosen submissions of published rounds whose period holds ``today``."""
    return Submission.objects.filter(
        status=S.CHOSEN,
        round__status=R.PUBLISHED,
        round__period_start__lte=today,
        round__period_end__gte=today,
    )


def _set_selected(product: Product, value: bool, actor) -> None:
    product.is_selected = value
    product._history_user = actor
    product.save(update_fields=["is_selected", "updated_at"])


@transaction.atomic
def selection_sync(*, today: datetime.date | None = None, actor=None) -> dict[str, int]:
    """Bring ``Product.is_selected`` in step with the published choices as of ``today``."""
    today = today or timezone.localdate()
    active = active_choices(today)
    active_products = set(active.values_list("product_id", flat=True))
    marked = cleared = 0
    # Periods that ended (or rounds no longer published): clear what a round had set.
    ending = (
        Submission.objects.select_for_update()
        .filter(holds_selection=True)
        .exclude(pk__in=active.values("pk"))
    )
    for sub in ending.select_related("product"):
        sub.holds_selection = False
        sub.save(update_fields=["holds_selection", "updated_at"])
        still_held = Submission.objects.filter(
            product_id=sub.product_id, holds_selection=True
        ).exists()
        if not still_held and sub.product_id not in active_products and sub.product.is_selected:
            _set_selected(Product.objects.select_for_update().get(pk=sub.product_id), False, actor)
            cleared += 1
    # Periods that hold today: mark the products not yet selected, and remember who did it.
    for sub in active.select_for_update().filter(holds_selection=False).select_related("product"):
        product = Product.objects.select_for_update().get(pk=sub.product_id)
        held_elsewhere = Submission.objects.filter(
            product_id=sub.product_id, holds_selection=True
        ).exists()
        if not product.is_selected:
            _set_selected(product, True, actor)
            marked += 1
            sub.holds_selection = True
        elif held_elsewhere:
            sub.holds_selection = True  # another round set it: both hold it now
        if sub.holds_selection:
            sub.save(update_fields=["holds_selection", "updated_at"])
    return {"marked": marked, "cleared": cleared}


# --- facilitation prompt -------------------------------------------------------------------------
def missing_certificates(product: Product, today: datetime.date | None = None) -> list[str]:
    """Request kinds the product falls short on: halal and SPP-IRT for food and drink, merek
    for every product. A merek of the unit with no products listed covers all its products."""
    have = set(
        Certification.objects.active(today)
        .filter(Q(products=product) | Q(unit_id=product.unit_id, products__isnull=True))
        .values_list("type", flat=True)
    )
    missing = []
    if product.category in FOOD_CATEGORIES:
        if CertificationType.HALAL not in have:
            missing.append(RequestKind.HALAL_SELF_DECLARE)
        if CertificationType.SPP_IRT not in have:
            missing.append(RequestKind.SPP_IRT)
    if CertificationType.MEREK not in have:
        missing.append(RequestKind.MEREK)
    return missing
