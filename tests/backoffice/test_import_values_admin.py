"""The admin side of issue 10's values and names: the unit form checks phones, NIK by meaning
and the year founded with the import's rules; region aliases are saved once, in scope."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from ikm.models import Region, RegionAlias
from tests.factories import UnitFactory

from .helpers import change_form_data

pytestmark = pytest.mark.django_db


# --- forms: the admin --------------------------------------------------------------------------
def test_admin_form_normalises_and_refuses_like_the_import(client, province_official):
    unit = UnitFactory()
    client.force_login(province_official)
    url = reverse("admin:ikm_ikmunit_change", args=[unit.pk])
    data = change_form_data(client.get(url))
    for field, value, words in [
        ("whatsapp", "telepon saya", "bukan nomor telepon"),
        ("nik", "6103011213850001", "tanggal lahir"),
        ("year_established", str(timezone.localdate().year + 1), "masa depan"),
    ]:
        response = client.post(url, {**data, field: value})
        assert response.status_code == 200
        assert words in " ".join(response.context["adminform"].form.errors[field])
    unit.refresh_from_db()
    assert unit.whatsapp == "" and unit.nik_last4 == "" and unit.year_established is None
    response = client.post(url, {**data, "whatsapp": "0812 3456 7890", "nik": "6103015203850001"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    unit.refresh_from_db()
    assert unit.whatsapp == "+6281234567890" and unit.nik_last4 == "0001"


def test_official_saves_an_alias_in_scope(client, official_ketapang):
    client.force_login(official_ketapang)
    url = reverse("admin:ikm_regionalias_add")
    assert client.get(url).status_code == 200
    response = client.post(url, {"alias": "Kalinilam Baru", "region": "61.04.16.2007"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    alias = RegionAlias.objects.get()
    assert (alias.alias_key, alias.scope_id, alias.created_by) == (
        "kalinilambaru",
        "61.04.16",
        official_ketapang,
    )
    # The same alias for a sibling is refused with the holder named; nothing more is saved.
    response = client.post(url, {"alias": "KALINILAM-BARU", "region": "61.04.16.2008"})
    assert response.status_code == 200
    assert "Kali Nilam" in " ".join(response.context["adminform"].form.errors["alias"])
    # A region of another kab/kota is not offered.
    response = client.post(url, {"alias": "Bangkong", "region": "61.71.05.1001"})
    assert response.status_code == 200 and "region" in response.context["adminform"].form.errors
    assert RegionAlias.objects.count() == 1
    changelist = client.get(reverse("admin:ikm_regionalias_changelist"))
    assert [a.pk for a in changelist.context["cl"].result_list] == [alias.pk]


def test_kabupaten_official_does_not_see_other_regions_aliases(client, official_sanggau):
    RegionAlias.objects.create(
        alias="Kampung Kali", region=Region.objects.get(code="61.04.16.2007")
    )
    client.force_login(official_sanggau)
    changelist = client.get(reverse("admin:ikm_regionalias_changelist"))
    assert changelist.status_code == 200 and list(changelist.context["cl"].result_list) == []


# --- uploads in other encodings, through the admin and a real worker -------------------------
@pytest.mark.django_db(transaction=True, databases=["default", "direct"])
def test_utf16_upload_imports_and_undecodable_upload_is_refused_naming_the_encoding(
    client, regions, province_official, start_worker, job_files
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jobs.models import Job
    from tests.support.spreadsheets import make_csv
    from tests.support.worker import wait_for

    start_worker(job_files)
    client.force_login(province_official)
    headers = ["Nama usaha", "Nama pemilik", "Kelompok komoditas", "Kab/Kota", "Kecamatan"]
    headers.append("Desa/Kelurahan")
    row = ["Kedai Ümmü", "Siti", "makanan", "Kabupaten Ketapang", "Delta Pawan", "Kalinilam"]

    def upload(data):
        response = client.post(
            "/admin/ikm/ikmunit/import/",
            {
                "import_file": SimpleUploadedFile("daftar.csv", data, "text/csv"),
                "format": "0",
                "resource": "0",
            },
        )
        assert response.status_code == 302, response.content[:1000]
        pk = int(response["Location"].rstrip("/").split("/")[-2])
        done = (Job.Status.DONE, Job.Status.FAILED)
        return wait_for(lambda: Job.objects.filter(pk=pk, status__in=done).first(), timeout=60)

    bad = upload(b"Nama usaha;Nama pemilik\nToko\x81;Ani\n")
    assert bad.status == Job.Status.FAILED
    assert "Windows-1252" in bad.error and "0x81" in bad.error
    inspect = upload(make_csv(headers, [row], delimiter="\t", encoding="utf-16"))
    assert inspect.status == Job.Status.DONE, inspect.error
    assert inspect.result["mapping"]["fields"] == headers
