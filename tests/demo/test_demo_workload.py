"""seed_demo fills every item of both demo officials' work dashboards (demo/workload.py)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from certifications.models import Request, RequestDocument, StatusChange
from ikm.models import UnitClaim
from tests.support.requests import file_roots  # noqa: F401 - fixture (media and private in tmp)

pytestmark = pytest.mark.django_db
S = Request.Status


def test_demo_fills_both_dashboards_and_stays_idempotent(client, file_roots):  # noqa: F811
    call_command("seed_demo", force=True, scale=0.05, workers=1, verbosity=0, no_photos=True)
    users = get_user_model().objects
    province, sanggau = users.get(username="admin.kalbar"), users.get(username="admin.sanggau")

    # Requests in every status; Sanggau has all nine, each with its timeline.
    sanggau_reqs = Request.objects.filter(unit__kabupaten_code="61.03")
    assert set(sanggau_reqs.values_list("status", flat=True)) == set(S.values)
    assert set(
        Request.objects.exclude(unit__kabupaten_code="61.03").values_list(
            "unit__kabupaten_code", flat=True
        )
    ) == {"61.71", "61.04"}
    returned = sanggau_reqs.get(status=S.RETURNED)
    assert returned.status_changes.last().note and returned.status_changes.last().actor == sanggau
    assert returned.unit.owner.username == "pemilik.demo"  # the demo owner sees it in the portal
    for req in Request.objects.exclude(status=S.DRAFT):
        steps = list(
            req.status_changes.order_by("created_at", "id").values_list("to_status", flat=True)
        )
        assert steps[-1] == req.status and steps[0] == S.SUBMITTED, req.pk
        assert req.submitted_at is not None
    assert RequestDocument.objects.filter(content_type="application/pdf").exists()
    assert RequestDocument.objects.filter(content_type="image/png").exists()
    assert file_roots["private"].joinpath(RequestDocument.objects.first().file.name).exists()

    for user in (province, sanggau):
        client.force_login(user)
        board = client.get(reverse("admin:index")).context["dashboard"]
        counts = {t.key: t.count for t in board.tiles}
        assert all(n > 0 for n in counts.values()), (user.username, counts)
        assert board.requests.level == "late" and board.requests.overdue >= 1
        assert board.request_chart["total"] > 0 and len(board.request_chart["datasets"]) == 8
        assert board.unit_chart["total"] > 0
        assert board.jobs
        if user == sanggau:  # a kab/kota official sees their own jobs only
            assert {job.created_by for job in board.jobs} == {sanggau}
        else:
            assert len(board.jobs) == 3
        queue = client.get(reverse("admin:request_queue")).context["rows"]
        days = [d for _r, d, _l in queue]
        assert days == sorted(days, reverse=True) and len(days) >= 4
    client.force_login(sanggau)
    counts = {t.key: t.count for t in client.get(reverse("admin:index")).context["dashboard"].tiles}
    assert (
        counts["claims"]
        == UnitClaim.objects.filter(unit__kabupaten_code="61.03", status="pending").count()
        == 2
    )

    # A second run writes nothing.
    before = (
        Request.objects.count(),
        StatusChange.objects.count(),
        RequestDocument.objects.count(),
        UnitClaim.objects.count(),
    )
    call_command("seed_demo", force=True, scale=0.05, workers=1, verbosity=0, no_photos=True)
    after = (
        Request.objects.count(),
        StatusChange.objects.count(),
        RequestDocument.objects.count(),
        UnitClaim.objects.count(),
    )
    assert after == before
