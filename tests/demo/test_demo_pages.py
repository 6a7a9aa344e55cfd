"""With the demo data (seed_demo, small scale): every admin changelist and a change page of each
model render for the demo officials, and a kab/kota official's lists stay in scope."""

from __future__ import annotations

import pytest
from django.contrib import admin as django_admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.support.requests import file_roots  # noqa: F401 - fixture (media and private in tmp)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(file_roots):  # noqa: F811
    from demo.seed import PROVINCE_USERNAME, SANGGAU_USERNAME, seed_demo

    seed_demo(scale=0.1, photos=False)
    users = get_user_model().objects
    return users.get(username=PROVINCE_USERNAME), users.get(username=SANGGAU_USERNAME)


def test_demo_officials_see_every_page(client, demo):
    province, sanggau = demo
    for user, scope in ((province, None), (sanggau, "61.03")):
        client.force_login(user)
        for model, model_admin in django_admin.site._registry.items():
            opts = model._meta
            changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
            if not model_admin.has_view_permission(_request(user)):
                assert client.get(changelist).status_code == 403, opts.label
                continue
            response = client.get(changelist)
            assert response.status_code == 200, (user, opts.label)
            obj = model_admin.get_queryset(_request(user)).first()
            if obj is not None:
                change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
                assert client.get(change).status_code == 200, (user, opts.label, obj.pk)
        units = client.get(reverse("admin:ikm_ikmunit_changelist")).context["cl"]
        assert units.result_count > 0
        if scope:
            assert {u.kabupaten_code for u in units.result_list} == {scope}
        for name in ("quality_index", "quality_duplicates", "quality_missing", "quality_waiting"):
            assert client.get(reverse(f"admin:{name}")).status_code == 200, name
        assert client.get(reverse("admin:statistics") + "?format=xlsx").status_code == 200


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request
