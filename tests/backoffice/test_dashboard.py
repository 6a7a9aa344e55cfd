"""The officials' work dashboard (admin home), the request queue and the review page (issue 12).

The dashboard's numbers are checked against counts made here straight from the database, per
scope: the Sanggau official sees Sanggau's numbers only, the province official everyone's.
"""

from __future__ import annotations

import datetime
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from backoffice import dashboard
from certifications.models import Certification, Request, StatusChange
from ikm.models import IKMUnit, Region, UnitClaim
from jobs.models import Job
from tests.factories import (
    DESA_KETAPANG,
    CertificationFactory,
    ProductFactory,
    UnitFactory,
    UserFactory,
)
from tests.support.requests import make_request, png_bytes

pytestmark = pytest.mark.django_db
S = Request.Status
SANGGAU, KETAPANG = "61.03", "61.04"


def _ago(days: int, hours: int = 1) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days, hours=hours)


def put(req: Request, status: str, *, waiting: int | None = None) -> Request:
    fields = {"status": status}
    if waiting is not None:
        fields["submitted_at"] = _ago(waiting)
    Request.objects.filter(pk=req.pk).update(**fields)
    req.refresh_from_db()
    return req


class Work:
    """Work for officials in Sanggau and in Ketapang."""

    def __init__(self, owner, other_owner):
        today = timezone.localdate()
        ketapang_desa = Region.objects.get(code=DESA_KETAPANG)
        self.unit_s = UnitFactory(owner=owner, name="Lempok Durian Bu Siti", nib="6103000000011")
        self.unit_k = UnitFactory(
            owner=other_owner, name="Amplang Pak Rudi", nib="6104000000012", desa=ketapang_desa
        )
        ProductFactory(unit=self.unit_s)
        ProductFactory(unit=self.unit_k)
        # Requests: Sanggau has 4 needing an official (oldest 20 days), 1 with the owner,
        # 1 decided and 1 draft; Ketapang has 2 needing an official (oldest 40 days).
        mk = make_request
        self.s_new = put(mk(self.unit_s, owner, complete=False), S.SUBMITTED, waiting=2)
        self.s_old = put(mk(self.unit_s, owner, complete=False), S.SUBMITTED, waiting=20)
        self.s_review = put(mk(self.unit_s, owner, complete=False), S.IN_REVIEW, waiting=10)
        self.s_fwd = put(mk(self.unit_s, owner, complete=False), S.FORWARDED, waiting=5)
        self.s_ret = put(mk(self.unit_s, owner, complete=False), S.RETURNED, waiting=30)
        self.s_done = put(mk(self.unit_s, owner, complete=False), S.ISSUED, waiting=60)
        self.s_draft = mk(self.unit_s, owner, complete=False)
        self.k_new = put(mk(self.unit_k, other_owner, complete=False), S.SUBMITTED, waiting=40)
        self.k_again = put(mk(self.unit_k, other_owner, complete=False), S.RESUBMITTED, waiting=1)
        # Claims: 2 pending in Sanggau, 1 decided there, 1 pending in Ketapang.
        claim_s = UnitFactory(name="Madu Kelulut Sanggau", verified=False, nib="6103000000013")
        claim_s2 = UnitFactory(name="Gula Aren Sanggau", nib="6103000000014")
        for unit in (claim_s, claim_s2):
            UnitClaim.objects.create(unit=unit, user=UserFactory())
        UnitClaim.objects.create(unit=claim_s2, user=UserFactory(), status="rejected")
        UnitClaim.objects.create(
            unit=UnitFactory(desa=ketapang_desa, nib="6104000000015"), user=UserFactory()
        )
        # Unverified units: 1 in Sanggau (claim_s) + 2 in Ketapang.
        UnitFactory(desa=ketapang_desa, verified=False, nib="6104000000016")
        UnitFactory(desa=ketapang_desa, verified=False, nib="6104000000017")
        # Certificates ending: Sanggau 10 and 60 days; Ketapang 20 days; one long valid.
        for unit, days in ((self.unit_s, 10), (self.unit_s, 60), (self.unit_k, 20)):
            CertificationFactory(unit=unit, valid_until=today + datetime.timedelta(days=days))
        CertificationFactory(unit=self.unit_s, valid_until=today + datetime.timedelta(days=400))
        # A probable duplicate in Sanggau (same name, same desa).
        UnitFactory(name="lempok durian bu siti ", nib=None)
        # Jobs: one by each official (made in the test).


@pytest.fixture
def work(owner, other_owner):
    return Work(owner, other_owner)


def db_counts(kab: str | None) -> dict[str, int]:
    """The dashboard's figures counted here from the database (kab None: all of Kalbar)."""
    today = timezone.localdate()
    units = IKMUnit.objects.all() if kab is None else IKMUnit.objects.filter(kabupaten_code=kab)
    reqs = Request.objects.filter(unit__in=units)
    open_reqs = reqs.filter(status__in=["submitted", "resubmitted", "in_review", "forwarded"])
    certs = Certification.objects.filter(unit__in=units, revoked_at__isnull=True)
    return {
        "requests": open_reqs.count(),
        "oldest": max((timezone.now() - r.submitted_at).days for r in open_reqs),
        "claims": UnitClaim.objects.filter(unit__in=units, status="pending").count(),
        "units_waiting": units.filter(verified=False).count(),
        "expiring_30": certs.filter(
            valid_until__range=(today, today + datetime.timedelta(days=30))
        ).count(),
        "expiring_90": certs.filter(
            valid_until__range=(today, today + datetime.timedelta(days=90))
        ).count(),
    }


def tiles(response) -> dict[str, int]:
    return {t.key: t.count for t in response.context["dashboard"].tiles}


@pytest.mark.parametrize("who,kab", [("official_sanggau", SANGGAU), ("province_official", None)])
def test_dashboard_counts_follow_the_scope(client, work, request, who, kab):
    user = request.getfixturevalue(who)
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    expected = db_counts(kab)
    shown = tiles(response)
    for key in ("requests", "claims", "units_waiting", "expiring_30", "expiring_90"):
        assert shown[key] == expected[key], key
    assert response.context["dashboard"].requests.oldest_days == expected["oldest"]
    # The figures themselves, as written in this test (not only "as the DB says").
    if kab == SANGGAU:
        assert (shown["requests"], shown["claims"], shown["units_waiting"]) == (4, 2, 1)
        assert (shown["expiring_30"], shown["expiring_90"], shown["duplicates"]) == (1, 2, 1)
        assert response.context["dashboard"].requests.oldest_days == 20
    else:
        assert (shown["requests"], shown["claims"], shown["units_waiting"]) == (6, 3, 3)
        assert (shown["expiring_30"], shown["expiring_90"]) == (2, 3)
        assert response.context["dashboard"].requests.oldest_days == 40
    page = response.content.decode()
    assert 'id="tile-requests"' in page
    assert reverse("admin:request_queue") in page
    assert reverse("admin:ikm_unitclaim_changelist") + "?status__exact=pending" in page
    assert reverse("admin:quality_expiring") + "?hari=30" in page


def test_service_level_colour(client, work, official_sanggau, settings):
    settings.REQUEST_SLA_DAYS = 14
    client.force_login(official_sanggau)
    figures = client.get(reverse("admin:index")).context["dashboard"].requests
    assert (figures.level, figures.overdue, figures.sla) == ("late", 1, 14)  # 20 days > 14
    settings.REQUEST_SLA_DAYS = 25
    figures = client.get(reverse("admin:index")).context["dashboard"].requests
    assert (figures.level, figures.overdue) == ("warn", 0)  # 20 >= 70 % of 25
    settings.REQUEST_SLA_DAYS = 40
    page = client.get(reverse("admin:index")).content.decode()
    assert re.search(r'class="sipi-tile sipi-level-ok" id="tile-requests"', page)
    assert dashboard.sla_level(None) == "ok" and dashboard.sla_level(15, sla=14) == "late"


def test_dashboard_charts_data_in_json_script(client, work, official_sanggau, province_official):
    client.force_login(official_sanggau)
    response = client.get(reverse("admin:index"))
    page = response.content.decode()
    assert '<script id="chart-requests-data" type="application/json">' in page
    assert "vendor/chartjs/chart.umd.min.js" in page and "js/admin-dashboard.js" in page
    chart = response.context["dashboard"].request_chart
    # Sanggau: 6 requests that are not drafts, all made this month.
    assert chart["total"] == 6 and sum(sum(ds["data"]) for ds in chart["datasets"]) == 6
    assert "Konsep" not in {ds["label"] for ds in chart["datasets"]}
    units = response.context["dashboard"].unit_chart
    assert units["title"] == "Unit IKM per kecamatan"
    assert units["total"] == IKMUnit.objects.filter(kabupaten_code=SANGGAU).count()
    client.force_login(province_official)
    units = client.get(reverse("admin:index")).context["dashboard"].unit_chart
    assert units["title"] == "Unit IKM per kabupaten/kota"
    assert dict(zip(units["labels"], units["data"], strict=True)) == {
        "Kabupaten Sanggau": IKMUnit.objects.filter(kabupaten_code=SANGGAU).count(),
        "Kabupaten Ketapang": IKMUnit.objects.filter(kabupaten_code=KETAPANG).count(),
    }


def test_dashboard_jobs_are_the_officials_own_unless_province(
    client, work, official_sanggau, official_ketapang, province_official
):
    mine = Job.objects.create(
        kind="import", label="Impor unit Sanggau", created_by=official_sanggau
    )
    theirs = Job.objects.create(kind="import", label="Impor Ketapang", created_by=official_ketapang)
    client.force_login(official_sanggau)
    assert client.get(reverse("admin:index")).context["dashboard"].jobs == [mine]
    client.force_login(province_official)
    jobs = client.get(reverse("admin:index")).context["dashboard"].jobs
    assert jobs == [theirs, mine]


def test_header_shows_account_and_scope(client, work, official_sanggau, province_official):
    client.force_login(official_sanggau)
    page = client.get(reverse("admin:index")).content.decode()
    assert re.search(
        r"<strong>pejabat_sanggau</strong> · <span[^>]*>Kabupaten Sanggau</span>", page
    )
    assert "Selamat datang" not in page and "Welcome" not in page
    client.force_login(province_official)
    page = client.get(reverse("admin:certifications_request_changelist")).content.decode()
    assert "<strong>pejabat_prov</strong> · " in page and "Seluruh Kalimantan Barat" in page


# --- the queue ------------------------------------------------------------------------------------
def queue_rows(response) -> list[tuple[int, int | None]]:
    return [(req.pk, days) for req, days, _level in response.context["rows"]]


def test_queue_longest_waiting_first_and_scoped(client, work, official_sanggau):
    client.force_login(official_sanggau)
    response = client.get(reverse("admin:request_queue"))
    assert response.status_code == 200
    assert queue_rows(response) == [
        (work.s_old.pk, 20),
        (work.s_review.pk, 10),
        (work.s_fwd.pk, 5),
        (work.s_new.pk, 2),
    ]
    page = response.content.decode()
    head = re.search(r"<thead>(.*?)</thead>", page, re.S).group(1)
    assert re.findall(r"<th[^>]*>([^<]+)</th>", head)[0] == "Menunggu (hari)"
    assert work.s_old.reference in page and work.k_new.reference not in page
    # The owner's queue, and everything but drafts (decided last).
    response = client.get(reverse("admin:request_queue"), {"antrean": "pemilik"})
    assert queue_rows(response) == [(work.s_ret.pk, 30)]
    response = client.get(reverse("admin:request_queue"), {"antrean": "semua"})
    rows = queue_rows(response)
    assert work.s_draft.pk not in [pk for pk, _d in rows]
    assert rows[-1] == (work.s_done.pk, None) and len(rows) == 6
    # Search by number, as printed.
    response = client.get(reverse("admin:request_queue"), {"q": work.s_fwd.reference})
    assert queue_rows(response) == [(work.s_fwd.pk, 5)]
    response = client.get(reverse("admin:request_queue"), {"q": f"PRM-{work.k_new.pk:06d}"})
    assert queue_rows(response) == []


def test_queue_province_sees_all_and_filters_by_kab(client, work, province_official):
    client.force_login(province_official)
    response = client.get(reverse("admin:request_queue"))
    assert [pk for pk, _d in queue_rows(response)] == [
        work.k_new.pk,
        work.s_old.pk,
        work.s_review.pk,
        work.s_fwd.pk,
        work.s_new.pk,
        work.k_again.pk,
    ]
    response = client.get(reverse("admin:request_queue"), {"kab": KETAPANG})
    assert [pk for pk, _d in queue_rows(response)] == [work.k_new.pk, work.k_again.pk]
    # Nonsense filters fall back to the defaults rather than failing.
    response = client.get(reverse("admin:request_queue"), {"antrean": "x", "kab": "99", "p": "z"})
    assert response.status_code == 200 and len(queue_rows(response)) == 6


def test_queue_needs_a_backoffice_scope(client, work, staff_without_scope):
    client.force_login(staff_without_scope)
    assert client.get(reverse("admin:request_queue")).status_code == 403


# --- the review page ----------------------------------------------------------------------------
@pytest.fixture
def reviewed(file_roots, work, owner):
    """A submitted Sanggau request with a PDF and a PNG document and a returned-then-resubmitted
    history with notes."""
    from certifications.models import RequestDocument

    req = make_request(work.unit_s, owner)
    doc = RequestDocument(
        request=req,
        doc_type="photo",
        original_name="foto-produk.png",
        content_type="image/png",
        size=1536,
        uploaded_by=owner,
    )
    data = png_bytes()
    doc.file.save(f"{uuid.uuid4().hex}.png", __import__("io").BytesIO(data), save=False)
    doc.save()
    put(req, S.RESUBMITTED, waiting=3)
    for frm, to, note in (
        ("draft", "submitted", ""),
        ("submitted", "in_review", ""),
        ("in_review", "returned", "KTP buram, mohon unggah ulang."),
        ("returned", "resubmitted", "KTP sudah diganti."),
    ):
        StatusChange.objects.create(
            request=req, from_status=frm, to_status=to, actor=owner, note=note
        )
    return req


def test_review_page_title_preview_history_and_verbs(client, reviewed, official_sanggau):
    client.force_login(official_sanggau)
    response = client.get(reverse("admin:certifications_request_change", args=[reviewed.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    ref = reviewed.reference
    assert f"<h1>Periksa permohonan {ref}</h1>" in page
    assert "Ubah permohonan" not in page
    docs = list(reviewed.documents.order_by("pk"))
    pdf, png = docs[0], docs[-1]
    assert pdf.content_type == "application/pdf" and png.content_type == "image/png"
    pdf_url = reverse("portal:document_download", args=[pdf.pk])
    png_url = reverse("portal:document_download", args=[png.pk])
    assert re.search(rf'<iframe class="sipi-preview" src="{pdf_url}\?tampil=1"', page)
    assert re.search(rf'<img class="sipi-preview" src="{png_url}\?tampil=1"', page)
    assert "1,5 KB" in page  # the size, in Indonesian
    assert "KTP buram, mohon unggah ulang." in page and "KTP sudah diganti." in page
    # Verbs as buttons: a resubmitted request can be taken into review.
    assert "Mulai periksa" in page
    assert reverse("admin:certifications_request_verb", args=[reviewed.pk, "periksa"]) in page
    assert not re.search(r"<input[^>]+name=\"_save\"", page)


def test_review_page_of_another_region_is_404(client, reviewed, official_ketapang):
    client.force_login(official_ketapang)
    url = reverse("admin:certifications_request_change", args=[reviewed.pk])
    assert client.get(url).status_code == 404


def test_preview_is_inline_only_when_asked_and_still_checked(
    client, reviewed, official_sanggau, official_ketapang
):
    pdf = reviewed.documents.filter(content_type="application/pdf").first()
    url = reverse("portal:document_download", args=[pdf.pk])
    client.force_login(official_sanggau)
    inline = client.get(url, {"tampil": "1"})
    assert inline.status_code == 200 and inline["Content-Disposition"].startswith("inline")
    assert inline["Content-Type"] == "application/pdf"
    assert inline["X-Frame-Options"] == "SAMEORIGIN"
    # The CSP's frame-ancestors, site-wide 'none', lets the review page frame its own document.
    assert "frame-ancestors 'self'" in inline["Content-Security-Policy"]
    assert b"".join(inline.streaming_content).startswith(b"%PDF-")
    attached = client.get(url)
    assert attached["Content-Disposition"].startswith("attachment")
    client.force_login(official_ketapang)
    assert client.get(url, {"tampil": "1"}).status_code == 404


def test_changelist_titles_are_not_pilih_untuk_diubah(client, work, official_sanggau):
    client.force_login(official_sanggau)
    page = client.get(reverse("admin:certifications_request_changelist")).content.decode()
    assert "<h1>Semua permohonan fasilitasi</h1>" in page and "untuk diubah" not in page
    page = client.get(reverse("admin:ikm_ikmunit_changelist")).content.decode()
    # Django's own search box has its magnifier's alt text hard-coded in English: overridden.
    assert 'alt="Cari"' in page and 'alt="Search"' not in page
    assert "<h1>Unit IKM</h1>" in page and "Pilih" not in re.search(r"<h1>.*?</h1>", page).group()
    # The request list finds "PRM-2026-000123" (and the older "PRM-000123") too.
    for term in (work.s_old.reference, f"PRM-{work.s_old.pk:06d}"):
        response = client.get(reverse("admin:certifications_request_changelist"), {"q": term})
        assert [r.pk for r in response.context["cl"].result_list] == [work.s_old.pk]
    assert re.fullmatch(r"PRM-20\d\d-\d{6}", work.s_old.reference)


def test_in_review_status_reads_sedang_diperiksa(client, work, official_sanggau):
    assert str(S.IN_REVIEW.label) == "Sedang diperiksa" and S.IN_REVIEW.value == "in_review"
    client.force_login(official_sanggau)
    page = client.get(reverse("admin:request_queue")).content.decode()
    assert "Sedang diperiksa" in page and "Diverifikasi" not in page


# --- Indonesian only ------------------------------------------------------------------------------
ENGLISH = re.compile(
    r"\b(Search|Welcome|View site|Change password|Log out|Select \w+ to change|Add \w+|"
    r"Recent actions|My actions|Save and|Delete|History|Filter by|Home|Action:|Go|Show all|"
    r"results?|total|None available|Documentation)\b"
)


def visible_text(html: str) -> str:
    """Text and the attributes people see or hear (alt, title, placeholder, value, aria-label)."""
    html = re.sub(r"<script\b.*?</script>", " ", html, flags=re.S)
    html = re.sub(r"<style\b.*?</style>", " ", html, flags=re.S)
    attrs = " ".join(re.findall(r'\b(?:alt|title|placeholder|aria-label|value)="([^"]*)"', html))
    return re.sub(r"<[^>]+>", " ", html) + " " + attrs


@pytest.mark.parametrize(
    "url",
    [
        "admin:index",
        "admin:request_queue",
        "admin:certifications_request_changelist",
        "admin:ikm_ikmunit_changelist",
        "admin:ikm_unitclaim_changelist",
        "admin:certifications_certification_changelist",
        "admin:products_product_changelist",
    ],
)
def test_no_english_labels(client, work, official_sanggau, url):
    client.force_login(official_sanggau)
    response = client.get(reverse(url))
    assert response.status_code == 200
    found = ENGLISH.findall(visible_text(response.content.decode()))
    assert not found, found


def test_no_english_on_review_page(client, reviewed, official_sanggau):
    client.force_login(official_sanggau)
    response = client.get(reverse("admin:certifications_request_change", args=[reviewed.pk]))
    found = ENGLISH.findall(visible_text(response.content.decode()))
    assert not found, found


def test_favicon_on_public_and_admin_pages(client, work, official_sanggau):
    for url in (reverse("public:home"), reverse("admin:login")):
        page = client.get(url).content.decode()
        assert 'rel="icon" href="/static/img/favicon.svg"' in page, url
        assert 'href="/static/img/favicon.ico"' in page, url
    from django.contrib.staticfiles import finders

    ico = finders.find("img/favicon.ico")
    assert ico and open(ico, "rb").read(4) == b"\x00\x00\x01\x00"
    assert open(finders.find("img/apple-touch-icon.png"), "rb").read(4) == b"\x89PNG"
