"""The admin's import (upload -> preview -> confirm), error report download, and export."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from ikm.models import IKMUnit, PersonalDataExport
from tests.factories import DESA_KETAPANG, DESA_SANGGAU, UnitFactory
from tests.ikm.test_resources import GOOD_ROWS
from tests.support.spreadsheets import UNIT_HEADERS, make_csv

IMPORT_URL = "/admin/ikm/ikmunit/import/"
PROCESS_URL = "/admin/ikm/ikmunit/process_import/"
EXPORT_URL = "/admin/ikm/ikmunit/export/"


def grant(user, *codenames):
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def prov(province_official):
    return grant(province_official, "view_ikmunit", "add_ikmunit", "change_ikmunit")


@pytest.fixture
def sanggau(official_sanggau):
    return grant(official_sanggau, "view_ikmunit", "add_ikmunit", "change_ikmunit")


def upload(client, data: bytes, name="unit.csv", fmt="0"):
    return client.post(
        IMPORT_URL,
        {"import_file": SimpleUploadedFile(name, data, "text/csv"), "format": fmt, "resource": "0"},
    )


def test_upload_preview_confirm(client, prov):
    client.force_login(prov)
    assert client.get(IMPORT_URL).status_code == 200
    data = make_csv(UNIT_HEADERS, GOOD_ROWS, delimiter=";", bom=True)
    response = upload(client, data)
    assert response.status_code == 200
    confirm = response.context["confirm_form"]
    assert confirm is not None
    assert not IKMUnit.objects.exists()  # the preview is a dry run
    content = response.content.decode()
    assert "Lempok Durian Bu Siti" in content and "Penyeladi" in content
    assert "6103014501800001" not in content  # NIK masked in the preview
    response = client.post(PROCESS_URL, dict(confirm.initial) | {"confirm": "1"})
    assert response.status_code == 302, response.content[:2000]
    assert IKMUnit.objects.count() == 3
    created = IKMUnit.history.filter(history_type="+")
    assert created.count() == 3
    assert set(created.values_list("history_user", flat=True)) == {prov.pk}


def test_bad_file_shows_rows_and_offers_error_report(client, prov):
    client.force_login(prov)
    rows = [
        GOOD_ROWS[0],
        ["12345", "Usaha Salah", "Ani", "", "Makanan", "", "", "Desa Entah", "", "", "", "", ""],
    ]
    response = upload(client, make_csv(UNIT_HEADERS, rows))
    assert response.status_code == 200
    assert response.context.get("confirm_form") is None
    error_rows = response.context["error_rows"]
    assert {(r, c) for r, c, _m in error_rows} == {(3, "NIB"), (3, "Desa/Kelurahan")}
    url = response.context["error_report_url"]
    assert url in response.content.decode()
    report = client.get(url)
    assert report.status_code == 200 and report["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(report.content.decode("utf-8-sig"))))
    assert lines[0] == ["Baris", "Kolom", "Kesalahan"]
    assert {(line[0], line[1]) for line in lines[1:]} == {("3", "NIB"), ("3", "Desa/Kelurahan")}
    assert not IKMUnit.objects.exists()


def test_unreadable_or_garbage_file_is_not_a_500(client, prov):
    client.force_login(prov)
    response = upload(client, b"\x00\x01\x02 not a spreadsheet", name="x.xlsx", fmt="1")
    assert response.status_code == 200
    assert not IKMUnit.objects.exists()


def test_kabupaten_official_import_refuses_other_region(client, sanggau):
    client.force_login(sanggau)
    response = upload(client, make_csv(UNIT_HEADERS, GOOD_ROWS[:2]))
    assert response.status_code == 200
    errors = {(r, c): m for r, c, m in response.context["error_rows"]}
    assert "di luar wilayah kerja" in errors[(3, "Kab/Kota")]
    assert not IKMUnit.objects.exists()


def test_error_report_of_another_session_is_404(client, prov):
    client.force_login(prov)
    assert client.get("/admin/ikm/ikmunit/import/errors/nope/").status_code == 404


def _export(client, fmt="0"):
    form = client.get(EXPORT_URL).context["form"]
    data = {"format": fmt, "resource": "0"}
    for name in form.fields:
        if name.startswith("ikmunitresource_"):
            data[name] = "on"
    return client.post(EXPORT_URL, data), form


def test_admin_export_scoped_and_without_nik(client, sanggau):
    UnitFactory(name="Unit Sanggau", nib="9120000000011", desa_id=DESA_SANGGAU)
    UnitFactory(name="Unit Ketapang", nib="9120000000012", desa_id=DESA_KETAPANG)
    client.force_login(sanggau)
    response, form = _export(client)
    assert "ikmunitresource_nik" not in form.fields  # not even offered
    assert response.status_code == 200
    body = response.content.decode("utf-8-sig")
    assert "Unit Sanggau" in body and "Unit Ketapang" not in body
    assert "NIK" not in next(csv.reader(io.StringIO(body)))
    assert not PersonalDataExport.objects.exists()


def test_admin_export_with_view_nik_is_logged(client, prov):
    from ikm.services import unit_set_nik

    unit = UnitFactory(name="Unit Sanggau", nib="9120000000011", desa_id=DESA_SANGGAU)
    unit_set_nik(unit, "6103014501800001")
    unit.save()
    user = grant(prov, "view_nik")
    client.force_login(user)
    response, form = _export(client, fmt="1")
    assert "ikmunitresource_nik" in form.fields
    assert response.status_code == 200
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][rows[0].index("NIK")] == "6103014501800001"
    log = PersonalDataExport.objects.get()
    assert (log.user_id, log.file_format, log.row_count) == (user.pk, "xlsx", 1)


def test_confirm_step_failure_shows_errors_and_writes_nothing(client, prov):
    """Data changed between preview and confirm: the confirm step refuses, lists the row."""
    from ikm.services import unit_set_nik

    client.force_login(prov)
    response = upload(client, make_csv(UNIT_HEADERS, GOOD_ROWS, delimiter=";"))
    confirm = response.context["confirm_form"]
    other = UnitFactory(nib="9120009999999", name="Pemilik NIK", desa_id=DESA_KETAPANG)
    unit_set_nik(other, "6103014501800001")
    other.save()
    response = client.post(PROCESS_URL, dict(confirm.initial) | {"confirm": "1"})
    assert response.status_code == 200
    errors = {(r, c): m for r, c, m in response.context["error_rows"]}
    assert "sudah terdaftar" in errors[(2, "NIK")]
    assert "tidak ada data yang disimpan" in response.content.decode()
    assert list(IKMUnit.objects.values_list("name", flat=True)) == ["Pemilik NIK"]


@pytest.mark.parametrize(
    ("url", "perm"),
    [
        ("/admin/products/product/import/", "add_product"),
        ("/admin/certifications/certification/import/", "add_certification"),
        ("/admin/ikm/ikmunit/import/", "add_ikmunit"),
    ],
)
def test_import_pages_render_and_need_the_model_permission(client, province_official, url, perm):
    province_official.groups.clear()  # an official whose role grants no model permission
    client.force_login(province_official)
    assert client.get(url).status_code == 403  # import-export's own permission check stays
    user = grant(province_official, perm, perm.replace("add_", "view_"))
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    assert "semua-atau-tidak-sama-sekali" in response.content.decode()
