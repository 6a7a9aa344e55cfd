"""Curation life cycles: every allowed and refused move of rounds and submissions, with the
database state after each; the average of officials' weighted scores; top-N choice; scope."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from curation import services, workflow
from curation.models import Round, Score, Submission, SubmissionChange

R = Round.Status
S = Submission.Status
pytestmark = pytest.mark.django_db


def set_status(obj, status):
    type(obj).objects.filter(pk=obj.pk).update(status=status)
    obj.refresh_from_db()
    return obj


def scores(round_, a, b):
    kualitas, kemasan = round_.criteria.order_by("position")
    return {kualitas.pk: a, kemasan.pk: b}


# --- rounds --------------------------------------------------------------------------------------
ROUND_SERVICE = {
    R.OPEN: services.round_open,
    R.SCORING: services.round_start_scoring,
    R.PUBLISHED: services.round_publish,
    R.CANCELLED: services.round_cancel,
}


@pytest.mark.parametrize("frm", list(R.values))
@pytest.mark.parametrize("to", [R.OPEN, R.SCORING, R.PUBLISHED, R.CANCELLED])
def test_every_round_move(make_round, official_sanggau, frm, to):
    round_ = make_round(status=frm)
    allowed = (frm, to) in workflow.ROUND_TRANSITIONS
    if allowed:
        ROUND_SERVICE[to](round_id=round_.pk, official=official_sanggau)
        round_.refresh_from_db()
        assert round_.status == to
        assert round_.history.first().history_user == official_sanggau
        assert (round_.published_at is not None) == (to == R.PUBLISHED)
    else:
        with pytest.raises(workflow.TransitionNotAllowed):
            ROUND_SERVICE[to](round_id=round_.pk, official=official_sanggau)
        round_.refresh_from_db()
        assert round_.status == frm


def test_round_needs_criteria_and_a_future_deadline(make_round, official_sanggau):
    round_ = make_round()
    round_.criteria.all().delete()
    with pytest.raises(ValidationError):
        services.round_open(round_id=round_.pk, official=official_sanggau)
    round_ = make_round(slug="lain")
    Round.objects.filter(pk=round_.pk).update(submission_deadline=timezone.now())
    with pytest.raises(ValidationError) as exc:
        services.round_open(round_id=round_.pk, official=official_sanggau)
    assert "submission_deadline" in exc.value.message_dict
    assert Round.objects.get(pk=round_.pk).status == R.DRAFT


def test_official_of_another_kabupaten_cannot_move_a_round(make_round, official_ketapang):
    round_ = make_round()
    with pytest.raises(PermissionDenied):
        services.round_open(round_id=round_.pk, official=official_ketapang)
    assert Round.objects.get(pk=round_.pk).status == R.DRAFT


def test_province_round_is_for_province_officials_only(
    make_round, official_sanggau, province_official
):
    round_ = make_round(kabupaten_id=None)
    assert not services.rounds_in_scope(official_sanggau).filter(pk=round_.pk).exists()
    services.round_open(round_id=round_.pk, official=province_official)
    assert Round.objects.get(pk=round_.pk).status == R.OPEN


def test_publish_refused_while_a_submission_is_undecided(
    round_open, product, owner, official_sanggau
):
    sub = services.submission_create(owner=owner, round_id=round_open.pk, product_id=product.pk)
    services.round_start_scoring(round_id=round_open.pk, official=official_sanggau)
    with pytest.raises(ValidationError) as exc:
        services.round_publish(round_id=round_open.pk, official=official_sanggau)
    assert "1 pengajuan belum diputuskan" in exc.value.messages[0]
    assert Round.objects.get(pk=round_open.pk).status == R.SCORING
    assert Submission.objects.get(pk=sub.pk).status == S.SUBMITTED


# --- submissions ---------------------------------------------------------------------------------
def test_owner_submits_once_per_round(round_open, product, owner):
    sub = services.submission_create(
        owner=owner, round_id=round_open.pk, product_id=product.pk, note=" baru "
    )
    assert (sub.status, sub.unit_id, sub.note) == (S.SUBMITTED, product.unit_id, "baru")
    assert list(sub.status_changes.values_list("from_status", "to_status")) == [("", S.SUBMITTED)]
    with pytest.raises(ValidationError) as exc:
        services.submission_create(owner=owner, round_id=round_open.pk, product_id=product.pk)
    assert exc.value.message_dict["product"] == ["Produk ini sudah diajukan ke putaran kurasi ini."]
    assert Submission.objects.count() == 1


def test_submission_refused_when_closed_out_of_region_or_not_owner(
    make_round, product, owner, other_owner
):
    draft = make_round(slug="konsep")
    with pytest.raises(ValidationError):
        services.submission_create(owner=owner, round_id=draft.pk, product_id=product.pk)
    ketapang = make_round(slug="ketapang", kabupaten_id="61.04", status=R.OPEN)
    with pytest.raises(ValidationError) as exc:
        services.submission_create(owner=owner, round_id=ketapang.pk, product_id=product.pk)
    assert "hanya untuk unit IKM di" in exc.value.message_dict["product"][0]
    open_ = make_round(slug="buka", status=R.OPEN)
    with pytest.raises(PermissionDenied):
        services.submission_create(owner=other_owner, round_id=open_.pk, product_id=product.pk)
    Round.objects.filter(pk=open_.pk).update(
        submission_deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    with pytest.raises(ValidationError):
        services.submission_create(owner=owner, round_id=open_.pk, product_id=product.pk)
    assert not Submission.objects.exists()


def _sub_in(round_, product, owner, status, round_status):
    sub = services.submission_create(owner=owner, round_id=round_.pk, product_id=product.pk)
    set_status(sub, status)
    set_status(round_, round_status)
    return Submission.objects.get(pk=sub.pk)


SUBMISSION_TARGETS = [S.SCORED, S.CHOSEN, S.NOT_CHOSEN, S.WITHDRAWN]


def _attempt(sub, to, owner, official):
    if to == S.WITHDRAWN:
        return services.submission_withdraw(submission_id=sub.pk, owner=owner)
    if to == S.SCORED:
        return services.score_record(
            submission_id=sub.pk, official=official, values=scores(sub.round, 4, 8)
        )
    return services.submission_decide(
        submission_id=sub.pk, official=official, chosen=to == S.CHOSEN, note="catatan"
    )


@pytest.mark.parametrize("frm", list(S.values))
@pytest.mark.parametrize("to", SUBMISSION_TARGETS)
@pytest.mark.parametrize("round_status", [R.OPEN, R.SCORING])
def test_every_submission_move(round_open, product, owner, official_sanggau, frm, to, round_status):
    sub = _sub_in(round_open, product, owner, frm, round_status)
    rule = workflow.SUBMISSION_TRANSITIONS.get((frm, to))
    allowed = rule is not None and workflow.ROUND_STATUS_FOR_MOVE[(frm, to)] == round_status
    before = SubmissionChange.objects.filter(submission=sub).count()
    if to == S.SCORED and frm in (S.SCORED, S.CHOSEN, S.NOT_CHOSEN) and round_status == R.SCORING:
        # scoring again corrects the sheet; the status stays
        _attempt(sub, to, owner, official_sanggau)
        sub.refresh_from_db()
        assert sub.status == frm
        assert sub.final_score == Decimal("80.00")
        return
    if allowed:
        _attempt(sub, to, owner, official_sanggau)
        sub.refresh_from_db()
        assert sub.status == to
        change = SubmissionChange.objects.filter(submission=sub).latest("id")
        assert (change.from_status, change.to_status) == (frm, to)
        assert SubmissionChange.objects.filter(submission=sub).count() == before + 1
    else:
        with pytest.raises((ValidationError, PermissionDenied)):
            _attempt(sub, to, owner, official_sanggau)
        sub.refresh_from_db()
        assert sub.status == frm
        assert SubmissionChange.objects.filter(submission=sub).count() == before


def test_other_owner_cannot_withdraw_and_other_kabupaten_cannot_score(
    round_open, product, owner, other_owner, official_ketapang
):
    sub = services.submission_create(owner=owner, round_id=round_open.pk, product_id=product.pk)
    with pytest.raises(PermissionDenied):
        services.submission_withdraw(submission_id=sub.pk, owner=other_owner)
    set_status(round_open, R.SCORING)
    with pytest.raises(PermissionDenied):
        services.score_record(
            submission_id=sub.pk, official=official_ketapang, values=scores(round_open, 5, 10)
        )
    sub.refresh_from_db()
    assert sub.status == S.SUBMITTED and not Score.objects.exists()


# --- scores --------------------------------------------------------------------------------
def test_final_score_is_the_average_of_the_officials_weighted_scores(
    round_open, product, owner, official_sanggau, province_official
):
    sub = services.submission_create(owner=owner, round_id=round_open.pk, product_id=product.pk)
    set_status(round_open, R.SCORING)
    # Kualitas ×3 (0–5), Kemasan ×1 (0–10). Sanggau: (5/5·3 + 5/10·1)/4 = 87.50
    services.score_record(
        submission_id=sub.pk, official=official_sanggau, values=scores(round_open, 5, 5)
    )
    sub.refresh_from_db()
    assert sub.status == S.SCORED
    assert sub.final_score == Decimal("87.50")
    # Province: (2/5·3 + 10/10·1)/4 = 55.00 -> average 71.25
    services.score_record(
        submission_id=sub.pk, official=province_official, values=scores(round_open, 2, 10)
    )
    sub.refresh_from_db()
    assert sub.final_score == Decimal("71.25")
    assert Score.objects.filter(submission=sub).count() == 4
    # A corrected sheet replaces the official's scores, it does not add a third sheet.
    services.score_record(
        submission_id=sub.pk, official=official_sanggau, values=scores(round_open, 3, 5)
    )
    sub.refresh_from_db()
    # Sanggau now (3/5·3 + 0.5)/4 = 57.50 -> (57.50 + 55.00)/2 = 56.25
    assert sub.final_score == Decimal("56.25")
    assert Score.objects.filter(submission=sub).count() == 4
    assert sub.status_changes.filter(to_status=S.SCORED).count() == 1


def test_scores_outside_the_range_or_missing_are_refused(
    round_open, product, owner, official_sanggau
):
    sub = services.submission_create(owner=owner, round_id=round_open.pk, product_id=product.pk)
    set_status(round_open, R.SCORING)
    kualitas, kemasan = round_open.criteria.order_by("position")
    with pytest.raises(ValidationError) as exc:
        services.score_record(
            submission_id=sub.pk, official=official_sanggau, values={kualitas.pk: 6, kemasan.pk: 1}
        )
    assert exc.value.message_dict[f"c{kualitas.pk}"] == ["Nilai harus antara 0 dan 5."]
    with pytest.raises(ValidationError):
        services.score_record(
            submission_id=sub.pk, official=official_sanggau, values={kualitas.pk: 3}
        )
    assert not Score.objects.exists()
    assert Submission.objects.get(pk=sub.pk).status == S.SUBMITTED


def test_choose_top_n_with_threshold(make_round, owner, official_sanggau, unit_owner):
    from tests.factories import ProductFactory

    round_ = make_round(status=R.OPEN)
    subs = []
    for i in range(4):
        p = ProductFactory(unit=unit_owner, name=f"Produk {i}")
        subs.append(services.submission_create(owner=owner, round_id=round_.pk, product_id=p.pk))
    set_status(round_, R.SCORING)
    for sub, (a, b) in zip(subs[:3], [(5, 10), (4, 10), (1, 0)], strict=True):
        services.score_record(
            submission_id=sub.pk, official=official_sanggau, values=scores(round_, a, b)
        )
    chosen, not_chosen = services.round_choose_top(
        round_id=round_.pk, official=official_sanggau, top_n=3, min_score=50
    )
    assert (chosen, not_chosen) == (2, 1)
    status = {s.pk: s.status for s in Submission.objects.all()}
    assert [status[s.pk] for s in subs] == [S.CHOSEN, S.CHOSEN, S.NOT_CHOSEN, S.SUBMITTED]
    # the unscored one is decided by hand, then the results can be published
    services.submission_decide(submission_id=subs[3].pk, official=official_sanggau, chosen=False)
    mail.outbox.clear()
    services.round_publish(round_id=round_.pk, official=official_sanggau)
    assert Round.objects.get(pk=round_.pk).status == R.PUBLISHED
    # one result mail per decided submission, to the owner, through the mail queue
    assert [m.to for m in mail.outbox] == [[owner.email]] * 4
    assert sum("Hasil: Terpilih" in m.body for m in mail.outbox) == 2
