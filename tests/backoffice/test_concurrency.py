"""Optimistic concurrency in the back-office: no lost update, verify only what was seen.

Two officials open the same unit; the first saves a phone number, the second saves an address
from the page opened earlier. The second gets the conflict (who changed what, field by field),
nothing of theirs is written, and saving the re-shown form keeps both edits.
"""

from __future__ import annotations

import re
import threading
import time

import pytest
from django.test import Client
from django.urls import reverse

from core.versioning import VERSION_FIELD, row_version
from ikm.models import IKMUnit
from tests.backoffice.helpers import _form_data, change_form_data

PHONE = "0564 21000"
ADDRESS = "Jl. Sudirman No. 5, Sanggau"


def _errors(response) -> str:
    form = response.context["adminform"].form
    return " | ".join(str(e) for e in form.non_field_errors())


def _reshown_post(response, first_post: dict) -> dict:
    """What the browser sends when the re-shown conflict page is saved again."""
    data = dict(first_post)
    _form_data(response.context["adminform"].form, data)
    return data


@pytest.mark.django_db
def test_stale_admin_form_gets_a_conflict_and_nothing_is_lost(
    world, official_sanggau, province_official
):
    unit = world.unit_sanggau
    saves_before = unit.history.count()
    url = reverse("admin:ikm_ikmunit_change", args=[unit.pk])
    first, second = Client(), Client()
    first.force_login(official_sanggau)
    second.force_login(province_official)
    data_first = change_form_data(first.get(url))
    data_second = change_form_data(second.get(url))  # opened before the first one saves
    assert data_first[VERSION_FIELD] == data_second[VERSION_FIELD] == row_version(unit)

    data_first["phone"] = PHONE
    assert first.post(url, data_first).status_code == 302
    saved_phone = IKMUnit.objects.get(pk=unit.pk).phone
    assert saved_phone and saved_phone != unit.phone

    data_second["address"] = ADDRESS
    response = second.post(url, data_second)
    assert response.status_code == 200  # the form again, not a redirect
    text = _errors(response)
    assert "sudah diubah orang lain" in text
    # who, which field, from what to what
    assert "pejabat_sanggau" in text and "Telepon usaha" in text
    assert f"→ “{saved_phone}”" in text
    # nothing of the stale save was written
    after = IKMUnit.objects.get(pk=unit.pk)
    assert after.phone == saved_phone and after.address == unit.address
    assert after.history.count() == saves_before + 1  # only the first save
    # the user's input is kept, the other's untouched change is taken in, the version moves on
    form = response.context["adminform"].form
    assert form["address"].value() == ADDRESS
    assert form["phone"].value() == saved_phone
    assert form[VERSION_FIELD].value() == row_version(after)

    # Saving the re-shown form keeps both edits.
    response = second.post(url, _reshown_post(response, data_second))
    assert response.status_code == 302, _errors(response)
    final = IKMUnit.objects.get(pk=unit.pk)
    assert (final.phone, final.address) == (saved_phone, ADDRESS)
    assert final.history.latest().history_user == province_official


@pytest.mark.django_db
def test_both_changed_the_same_field_marks_the_field(world, official_sanggau, province_official):
    unit = world.unit_sanggau
    url = reverse("admin:ikm_ikmunit_change", args=[unit.pk])
    first, second = Client(), Client()
    first.force_login(official_sanggau)
    second.force_login(province_official)
    data_first = change_form_data(first.get(url))
    data_second = change_form_data(second.get(url))
    data_first["address"] = "Jl. Merdeka 1"
    assert first.post(url, data_first).status_code == 302
    data_second["address"] = ADDRESS
    response = second.post(url, data_second)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "Jl. Merdeka 1" in " ".join(form.errors["address"])
    assert form["address"].value() == ADDRESS  # the user's own input stays
    assert IKMUnit.objects.get(pk=unit.pk).address == "Jl. Merdeka 1"


@pytest.mark.django_db
def test_stale_sentra_form_without_history_is_refused(world, official_sanggau, province_official):
    """Models without ``updated_at`` carry a hash of their saved values."""

    sentra = world.sentra_sanggau
    url = reverse("admin:ikm_sentra_change", args=[sentra.pk])
    first, second = Client(), Client()
    first.force_login(official_sanggau)
    second.force_login(province_official)
    data_first = change_form_data(first.get(url))
    data_second = change_form_data(second.get(url))
    data_first["name"] = "Sentra Lempok Kapuas Hulu"
    assert first.post(url, data_first).status_code == 302
    data_second["commodity_group"] = "kerajinan"
    response = second.post(url, data_second)
    assert response.status_code == 200
    text = _errors(response)
    assert "sudah diubah orang lain" in text and "Sentra Lempok Kapuas Hulu" in text
    sentra.refresh_from_db()
    assert (sentra.name, sentra.commodity_group) == ("Sentra Lempok Kapuas Hulu", "makanan")


@pytest.mark.django_db
def test_unchanged_form_saves_as_before(client, world, province_official):
    url = reverse("admin:ikm_ikmunit_change", args=[world.unit_sanggau.pk])
    client.force_login(province_official)
    data = change_form_data(client.get(url))
    data["address"] = ADDRESS
    assert client.post(url, data).status_code == 302
    assert IKMUnit.objects.get(pk=world.unit_sanggau.pk).address == ADDRESS


@pytest.mark.django_db
def test_inline_product_changed_since_stops_the_unit_save(client, world, province_official, owner):
    """The products edited inline on the unit page carry their own versions."""
    from products.models import Product
    from products.services import product_update

    unit, product = world.unit_sanggau, world.product_sanggau
    IKMUnit.objects.filter(pk=unit.pk).update(owner=owner)
    url = reverse("admin:ikm_ikmunit_change", args=[unit.pk])
    client.force_login(province_official)
    page = client.get(url)
    data = change_form_data(page)
    assert any(k.endswith(f"-{VERSION_FIELD}") for k in data)  # the inline rows carry one

    product_update(owner=owner, product_id=product.pk, price=31_000)  # the owner, meanwhile

    data["address"] = ADDRESS
    response = client.post(url, data)
    assert response.status_code == 200
    assert IKMUnit.objects.get(pk=unit.pk).address == unit.address  # nothing saved
    assert Product.objects.get(pk=product.pk).price == 31_000
    formset = response.context["inline_admin_formsets"][0].formset
    row_errors = " ".join(str(e) for f in formset.forms for e in f.non_field_errors())
    assert "sudah diubah orang lain" in row_errors

    again = dict(data)
    _form_data(response.context["adminform"].form, again)
    for form in formset.forms:
        _form_data(form, again)
    response = client.post(url, again)
    assert response.status_code == 302
    assert IKMUnit.objects.get(pk=unit.pk).address == ADDRESS
    assert Product.objects.get(pk=product.pk).price == 31_000  # the owner's price kept


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["rusak", "h:", "2020-01-01T00:00:00+00:00", "h:abc:zz"])
def test_a_tampered_version_is_a_conflict_not_an_error(client, world, province_official, token):
    url = reverse("admin:ikm_ikmunit_change", args=[world.unit_sanggau.pk])
    client.force_login(province_official)
    data = change_form_data(client.get(url))
    data[VERSION_FIELD] = token
    data["address"] = ADDRESS
    response = client.post(url, data)
    assert response.status_code == 200
    assert "sudah diubah orang lain" in _errors(response)
    assert IKMUnit.objects.get(pk=world.unit_sanggau.pk).address != ADDRESS


# --- bulk actions carry the version of each row ------------------------------------------------
def _changelist_versions(response) -> dict[str, str]:
    html = response.content.decode()
    return dict(re.findall(r'name="_versi_baris" value="(\d+):([^"]*)"', html))


@pytest.mark.django_db
def test_verify_skips_a_unit_renamed_since_the_list_loaded(client, world, official_sanggau, owner):
    from ikm.services import unit_update_by_owner
    from tests.factories import UnitFactory

    renamed = world.unit_sanggau
    other = UnitFactory(name="Kerupuk Basah Sanggau", nib="6103000000002", verified=False)
    IKMUnit.objects.filter(pk=renamed.pk).update(verified=False, owner=owner)
    changelist = reverse("admin:ikm_ikmunit_changelist")
    client.force_login(official_sanggau)
    page = client.get(changelist)
    versions = _changelist_versions(page)
    assert {str(renamed.pk), str(other.pk)} <= set(versions)

    # The owner renames the unit after the official's list has loaded.
    unit_update_by_owner(unit_id=renamed.pk, owner=owner, name="Nama Baru Yang Belum Dilihat")

    response = client.post(
        changelist,
        {
            "action": "verify_units",
            "_selected_action": [renamed.pk, other.pk],
            "_versi_baris": [f"{pk}:{token}" for pk, token in versions.items()],
        },
        follow=True,
    )
    texts = [str(m) for m in response.context["messages"]]
    assert any(
        "Nama Baru Yang Belum Dilihat" in t and "dilewati" in t and "diubah sejak daftar" in t
        for t in texts
    ), texts
    assert any("1 unit diverifikasi" in t for t in texts), texts
    assert IKMUnit.objects.get(pk=renamed.pk).verified is False
    other_after = IKMUnit.objects.get(pk=other.pk)
    assert other_after.verified is True and other_after.verified_by == official_sanggau


@pytest.mark.django_db
def test_action_skips_rows_not_on_the_loaded_page(client, world, official_sanggau):
    IKMUnit.objects.filter(pk=world.unit_sanggau.pk).update(verified=False)
    client.force_login(official_sanggau)
    response = client.post(
        reverse("admin:ikm_ikmunit_changelist"),
        {
            "action": "verify_units",
            "_selected_action": [world.unit_sanggau.pk],
            "_versi_baris": ["999999:x"],  # versions were sent, but not for this row
        },
        follow=True,
    )
    texts = [str(m) for m in response.context["messages"]]
    assert any("tidak tampil di daftar" in t and "Lempok Durian Sanggau" in t for t in texts)
    assert IKMUnit.objects.get(pk=world.unit_sanggau.pk).verified is False


@pytest.mark.django_db
def test_publish_action_skips_a_product_changed_since(client, world, official_sanggau):
    from products.models import Product

    product = world.product_sanggau
    Product.objects.filter(pk=product.pk).update(is_published=False)
    changelist = reverse("admin:products_product_changelist")
    client.force_login(official_sanggau)
    versions = _changelist_versions(client.get(changelist))
    product.refresh_from_db()
    product.price = 99_000
    product.save()
    response = client.post(
        changelist,
        {
            "action": "publish",
            "_selected_action": [product.pk],
            "_versi_baris": [f"{pk}:{t}" for pk, t in versions.items()],
        },
        follow=True,
    )
    assert any("dilewati" in str(m) for m in response.context["messages"])
    assert Product.objects.get(pk=product.pk).is_published is False


# --- the check is atomic: two saves at the same moment cannot both win -------------------------
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_admin_saves_one_wins(
    regions, official_sanggau, province_official, monkeypatch
):
    """Both officials post from the same version at once; the first holds the row lock (its save
    is slowed down) while the second's check waits for it, then sees the newer version."""
    from backoffice.admin.units import IKMUnitAdmin
    from tests.factories import UnitFactory

    unit = UnitFactory(name="Lempok Durian Sanggau", nib="6103000000001")
    url = reverse("admin:ikm_ikmunit_change", args=[unit.pk])
    posts = []
    for user, field, value in (
        (official_sanggau, "phone", PHONE),
        (province_official, "address", ADDRESS),
    ):
        browser = Client()
        browser.force_login(user)
        data = change_form_data(browser.get(url))
        data[field] = value
        posts.append((browser, data))
    assert posts[0][1][VERSION_FIELD] == posts[1][1][VERSION_FIELD]

    original_save = IKMUnitAdmin.save_model

    def slow_save(self, request, obj, form, change):
        time.sleep(0.6)  # the version check has passed; the other request arrives meanwhile
        return original_save(self, request, obj, form, change)

    monkeypatch.setattr(IKMUnitAdmin, "save_model", slow_save)
    barrier = threading.Barrier(2)
    results: dict[int, object] = {}

    def run(index: int) -> None:
        from django.db import connections

        browser, data = posts[index]
        try:
            barrier.wait()
            results[index] = browser.post(url, data)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    codes = sorted(r.status_code for r in results.values())
    assert codes == [200, 302]  # one saved, one got the conflict page
    loser = next(r for r in results.values() if r.status_code == 200)
    assert "sudah diubah orang lain" in loser.content.decode()
    unit.refresh_from_db()
    phone_won = unit.phone != "" and unit.address != ADDRESS
    address_won = unit.address == ADDRESS and unit.phone == ""
    assert phone_won != address_won  # exactly one edit, never both silently
    assert unit.history.count() == 2  # creation + the one save
