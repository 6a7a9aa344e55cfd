"""Two posts at the same moment: the row lock and the unique form token keep one outcome."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection

from certifications import services, workflow
from certifications.models import Request, StatusChange
from tests.support.requests import make_request

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(*calls):
    """Run callables in threads released at once; return (results, errors)."""
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def worker(fn):
        from django.db import connections

        try:
            barrier.wait()
            results.append(fn())
        except Exception as exc:  # noqa: BLE001 - collected for the assertions
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(fn,)) for fn in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def test_two_officials_start_review_at_once_one_wins(
    regions, file_roots, unit_a, owner, official_sanggau, province_official
):
    req = make_request(unit_a, owner, status=Request.Status.SUBMITTED)
    results, errors = run_together(
        lambda: services.request_start_review(request_id=req.pk, official=official_sanggau),
        lambda: services.request_start_review(request_id=req.pk, official=province_official),
    )
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], workflow.TransitionNotAllowed)
    req.refresh_from_db()
    assert req.status == Request.Status.IN_REVIEW
    assert StatusChange.objects.filter(request=req).count() == 1


def test_same_form_posted_twice_at_once_makes_one_request(regions, file_roots, unit_a, owner):
    token = uuid.uuid4()

    def post():
        return services.request_save_draft(
            owner=owner, unit=unit_a, kind="merek", client_token=token, notes="sama"
        )

    results, errors = run_together(post, post)
    assert errors == []
    assert sorted(created for _req, created in results) == [False, True]
    assert Request.objects.count() == 1
    assert {req.pk for req, _created in results} == {Request.objects.get().pk}
    assert connection.vendor == "postgresql"
