"""Role × URL matrix for the back-office: exact status codes for every role on every URL.

Roles: anonymous, an owner (not staff), the official of Kabupaten Sanggau, the official of
Kabupaten Ketapang, a province official, a superuser, and a staff account without an Official
row. Objects of another kab/kota are 404 (their existence is not leaked), never 403.

To add URLs (e.g. the request queue and document downloads), append rows to ``MATRIX``:
``(name, url(world) -> str, expected codes per role)``; ``world`` is ``conftest.World``.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.urls import reverse

ROLES = ("anonymous", "owner", "sanggau", "ketapang", "province", "superuser", "no_scope")


def codes(anonymous=302, owner=302, sanggau=200, ketapang=200, province=200, superuser=200,
          no_scope=403):  # fmt: skip
    return {
        "anonymous": anonymous,
        "owner": owner,
        "sanggau": sanggau,
        "ketapang": ketapang,
        "province": province,
        "superuser": superuser,
        "no_scope": no_scope,
    }


# Patterns of expected codes.
STAFF = codes()  # every official; staff without scope: 403
SANGGAU_OBJECT = codes(ketapang=404, no_scope=404)  # out of scope -> 404
KETAPANG_OBJECT = codes(sanggau=404, no_scope=404)
SUPERUSER_ONLY = codes(sanggau=403, ketapang=403, province=403)
INDEX = codes(no_scope=200)  # the index renders, empty, for staff without scope
# Deleting a unit/certificate: province and superuser only; kab officials lack the permission.
DELETE_SANGGAU = codes(sanggau=403, ketapang=404, no_scope=404)
DELETE_KETAPANG = codes(sanggau=404, ketapang=403, no_scope=404)
# A job started by the Sanggau official: others' jobs are seen province-wide only; its error
# report (cells of the file) goes to its owner and superusers.
JOB_SANGGAU = codes(ketapang=404, no_scope=404)
JOB_REPORT = codes(ketapang=404, province=403, no_scope=404)
# The mail queue: province-wide (superusers and province officials) only.
PROVINCE_WIDE = codes(sanggau=403, ketapang=403)


def admin(name, *args):
    return reverse(f"admin:{name}", args=args)


def autocomplete(app_label, model_name, field_name, term=""):
    query = {
        "app_label": app_label,
        "model_name": model_name,
        "field_name": field_name,
        "term": term,
    }
    return reverse("admin:autocomplete") + "?" + urlencode(query)


MATRIX = [
    ("index", lambda w: admin("index"), INDEX),
    # changelists
    ("region changelist", lambda w: admin("ikm_region_changelist"), STAFF),
    ("sentra changelist", lambda w: admin("ikm_sentra_changelist"), STAFF),
    ("unit changelist", lambda w: admin("ikm_ikmunit_changelist"), STAFF),
    ("product changelist", lambda w: admin("products_product_changelist"), STAFF),
    ("certificate changelist", lambda w: admin("certifications_certification_changelist"), STAFF),
    ("official changelist", lambda w: admin("ikm_official_changelist"), SUPERUSER_ONLY),
    (
        "personal-data export log",
        lambda w: admin("ikm_personaldataexport_changelist"),
        SUPERUSER_ONLY,
    ),
    ("user changelist", lambda w: admin("auth_user_changelist"), SUPERUSER_ONLY),
    ("group changelist", lambda w: admin("auth_group_changelist"), SUPERUSER_ONLY),
    ("unit-claim changelist", lambda w: admin("ikm_unitclaim_changelist"), STAFF),
    ("request changelist", lambda w: admin("certifications_request_changelist"), STAFF),
    (
        "request-document changelist",
        lambda w: admin("certifications_requestdocument_changelist"),
        STAFF,
    ),
    ("status-change changelist", lambda w: admin("certifications_statuschange_changelist"), STAFF),
    ("login attempts (axes)", lambda w: admin("axes_accessattempt_changelist"), SUPERUSER_ONLY),
    ("login failures (axes)", lambda w: admin("axes_accessfailurelog_changelist"), SUPERUSER_ONLY),
    ("login log (axes)", lambda w: admin("axes_accesslog_changelist"), SUPERUSER_ONLY),
    # add pages
    ("unit add", lambda w: admin("ikm_ikmunit_add"), STAFF),
    ("product add", lambda w: admin("products_product_add"), STAFF),
    ("certificate add", lambda w: admin("certifications_certification_add"), STAFF),
    ("sentra add", lambda w: admin("ikm_sentra_add"), STAFF),
    # change pages of a Sanggau object and of a Ketapang object
    ("unit Sanggau", lambda w: admin("ikm_ikmunit_change", w.unit_sanggau.pk), SANGGAU_OBJECT),
    ("unit Ketapang", lambda w: admin("ikm_ikmunit_change", w.unit_ketapang.pk), KETAPANG_OBJECT),
    (
        "product Sanggau",
        lambda w: admin("products_product_change", w.product_sanggau.pk),
        SANGGAU_OBJECT,
    ),
    (
        "product Ketapang",
        lambda w: admin("products_product_change", w.product_ketapang.pk),
        KETAPANG_OBJECT,
    ),
    (
        "certificate Sanggau",
        lambda w: admin("certifications_certification_change", w.cert_sanggau.pk),
        SANGGAU_OBJECT,
    ),
    (
        "certificate Ketapang",
        lambda w: admin("certifications_certification_change", w.cert_ketapang.pk),
        KETAPANG_OBJECT,
    ),
    (
        "sentra Sanggau",
        lambda w: admin("ikm_sentra_change", w.sentra_sanggau.pk),
        SANGGAU_OBJECT,
    ),
    (
        "sentra Ketapang",
        lambda w: admin("ikm_sentra_change", w.sentra_ketapang.pk),
        KETAPANG_OBJECT,
    ),
    # history pages and the revert form
    (
        "unit history Sanggau",
        lambda w: admin("ikm_ikmunit_history", w.unit_sanggau.pk),
        SANGGAU_OBJECT,
    ),
    (
        "unit history Ketapang",
        lambda w: admin("ikm_ikmunit_history", w.unit_ketapang.pk),
        KETAPANG_OBJECT,
    ),
    (
        "product history Sanggau",
        lambda w: admin("products_product_history", w.product_sanggau.pk),
        SANGGAU_OBJECT,
    ),
    (
        "product history Ketapang",
        lambda w: admin("products_product_history", w.product_ketapang.pk),
        KETAPANG_OBJECT,
    ),
    (
        "certificate history Sanggau",
        lambda w: admin("certifications_certification_history", w.cert_sanggau.pk),
        SANGGAU_OBJECT,
    ),
    (
        "certificate history Ketapang",
        lambda w: admin("certifications_certification_history", w.cert_ketapang.pk),
        KETAPANG_OBJECT,
    ),
    (
        "unit revert form Sanggau",
        lambda w: admin("ikm_ikmunit_simple_history", w.unit_sanggau.pk, w.unit_sanggau_history_id),
        SANGGAU_OBJECT,
    ),
    (
        "unit revert form Ketapang",
        lambda w: admin(
            "ikm_ikmunit_simple_history", w.unit_ketapang.pk, w.unit_ketapang_history_id
        ),
        KETAPANG_OBJECT,
    ),
    # delete confirmation pages
    (
        "unit delete Sanggau",
        lambda w: admin("ikm_ikmunit_delete", w.unit_sanggau.pk),
        DELETE_SANGGAU,
    ),
    (
        "unit delete Ketapang",
        lambda w: admin("ikm_ikmunit_delete", w.unit_ketapang.pk),
        DELETE_KETAPANG,
    ),
    # autocomplete (the unit, desa and product choosers)
    ("autocomplete unit", lambda w: autocomplete("certifications", "certification", "unit"), STAFF),
    ("autocomplete desa", lambda w: autocomplete("ikm", "ikmunit", "desa", "sungai"), STAFF),
    (
        "autocomplete product",
        lambda w: autocomplete("certifications", "certification", "products"),
        STAFF,
    ),
    # spreadsheet import and export pages (their row scoping is tested in tests/importexport)
    ("unit import", lambda w: admin("ikm_ikmunit_import"), STAFF),
    ("unit export", lambda w: admin("ikm_ikmunit_export"), STAFF),
    ("product import", lambda w: admin("products_product_import"), STAFF),
    ("product export", lambda w: admin("products_product_export"), STAFF),
    ("certificate import", lambda w: admin("certifications_certification_import"), STAFF),
    ("certificate export", lambda w: admin("certifications_certification_export"), STAFF),
    # background jobs: one's own (province and superuser: all); an error report: owner, superuser
    ("job changelist", lambda w: admin("jobs_job_changelist"), STAFF),
    ("job page Sanggau", lambda w: admin("jobs_job_change", w.job_sanggau.pk), JOB_SANGGAU),
    ("job status Sanggau", lambda w: admin("jobs_job_status", w.job_sanggau.pk), JOB_SANGGAU),
    ("job report Sanggau", lambda w: admin("jobs_job_report", w.job_sanggau.pk), JOB_REPORT),
    ("mail queue changelist", lambda w: admin("jobs_outboundmail_changelist"), PROVINCE_WIDE),
    # data-quality lists
    ("quality index", lambda w: admin("quality_index"), STAFF),
    ("quality duplicates", lambda w: admin("quality_duplicates"), STAFF),
    ("quality missing fields", lambda w: admin("quality_missing"), STAFF),
    ("quality expiring 30", lambda w: admin("quality_expiring") + "?hari=30", STAFF),
    ("quality expiring 90", lambda w: admin("quality_expiring") + "?hari=90", STAFF),
    ("quality waiting", lambda w: admin("quality_waiting"), STAFF),
    # statistics
    ("statistics page", lambda w: admin("statistics"), STAFF),
    ("statistics CSV", lambda w: admin("statistics") + "?format=csv", STAFF),
    ("statistics XLSX", lambda w: admin("statistics") + "?format=xlsx", STAFF),
]


@pytest.fixture
def world(world, official_sanggau, job_files):
    """The shared world, plus a failed import job of the Sanggau official with its report."""
    from django.core.files.base import ContentFile

    from jobs.models import Job

    job = Job.objects.create(
        kind="import:ikm.ikmunit",
        label="Pratinjau impor unit IKM: salah.csv",
        created_by=official_sanggau,
        status=Job.Status.FAILED,
        params={"model": "ikm.ikmunit", "dry_run": True},
        result={"errors": 1},
    )
    job.report_file.save("kesalahan.csv", ContentFile(b"Baris,Kolom,Kesalahan\n3,NIB,Salah\n"))
    world.job_sanggau = job
    return world


@pytest.fixture
def actor(request, owner, official_sanggau, official_ketapang, province_official, superuser,
          staff_without_scope):  # fmt: skip
    return {
        "anonymous": None,
        "owner": owner,
        "sanggau": official_sanggau,
        "ketapang": official_ketapang,
        "province": province_official,
        "superuser": superuser,
        "no_scope": staff_without_scope,
    }


CASES = [
    pytest.param(name, url, role, expected[role], id=f"{name}-{role}")
    for name, url, expected in MATRIX
    for role in ROLES
]


def test_every_registered_changelist_is_in_the_matrix():
    """A newly registered ModelAdmin must get its rows in MATRIX (at least its changelist)."""
    from django.contrib import admin as django_admin

    urls = set()
    for _name, url, _expected in MATRIX:
        try:
            urls.add(url(None))
        except AttributeError:  # a URL of an object of the world
            pass
    missing = [
        model._meta.label
        for model in django_admin.site._registry
        if admin(f"{model._meta.app_label}_{model._meta.model_name}_changelist") not in urls
    ]
    assert missing == []


def test_matrix_size():
    assert len(MATRIX) == 62
    assert len(CASES) == len(MATRIX) * len(ROLES) == 434


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "url", "expected"), [pytest.param(*row, id=row[0]) for row in MATRIX]
)
def test_role_url_matrix(client, world, actor, name, url, expected):
    """One row of the table: every role against one URL (all mismatches reported at once)."""
    address = url(world)
    got = {}
    for role in ROLES:
        client.logout()
        if actor[role] is not None:
            client.force_login(actor[role])
        response = client.get(address)
        got[role] = response.status_code
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("admin:login")), (
                role,
                response["Location"],
            )
    assert got == expected, (name, address)
