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


# --- issue 12: view on site, history, autocomplete and every scoped URL -------------------------
# "View on site" that works answers a redirect to the public (or portal) page, not to the login.
SITE = "302 situs"
VOS_SANGGAU = codes(sanggau=SITE, ketapang=404, province=SITE, superuser=SITE, no_scope=404)
VOS_KETAPANG = codes(sanggau=404, ketapang=SITE, province=SITE, superuser=SITE, no_scope=404)
# An unknown id, an unknown content type, a model without a public page: 404 for every official,
# the very same 404 as an object in another region.
NOWHERE = codes(sanggau=404, ketapang=404, province=404, superuser=404, no_scope=404)
# Request review buttons need the review permission first: a staff account without scope is
# refused before any object is looked up (403 whatever the id, so nothing leaks).
VERB_SANGGAU = codes(ketapang=404, no_scope=403)
VERB_KETAPANG = codes(sanggau=404, no_scope=403)
DELETE_SANGGAU_ALL = codes(ketapang=404, no_scope=404)  # (kab officials may delete these)
DELETE_KETAPANG_ALL = codes(sanggau=404, no_scope=404)
UNKNOWN_ID = 987654


def on_site(obj) -> str:
    from django.contrib.contenttypes.models import ContentType

    return admin("view_on_site", ContentType.objects.get_for_model(obj).pk, obj.pk)


def on_site_unknown(model_label: str) -> str:
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    model = apps.get_model(model_label)
    return admin("view_on_site", ContentType.objects.get_for_model(model).pk, UNKNOWN_ID)


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
    # --- issue 12 ---------------------------------------------------------------------------
    # view on site: out of scope looks exactly like unknown
    ("view on site unit Sanggau", lambda w: on_site(w.unit_sanggau), VOS_SANGGAU),
    ("view on site unit Ketapang", lambda w: on_site(w.unit_ketapang), VOS_KETAPANG),
    ("view on site unit unknown id", lambda w: on_site_unknown("ikm.IKMUnit"), NOWHERE),
    (
        "view on site unit bad id",
        lambda w: admin("view_on_site", on_site(w.unit_sanggau).split("/")[3], "abc"),
        NOWHERE,
    ),
    ("view on site product Sanggau", lambda w: on_site(w.product_sanggau), VOS_SANGGAU),
    ("view on site product Ketapang", lambda w: on_site(w.product_ketapang), VOS_KETAPANG),
    ("view on site product unknown id", lambda w: on_site_unknown("products.Product"), NOWHERE),
    ("view on site certificate Sanggau", lambda w: on_site(w.cert_sanggau), VOS_SANGGAU),
    ("view on site certificate Ketapang", lambda w: on_site(w.cert_ketapang), VOS_KETAPANG),
    (
        "view on site certificate unknown id",
        lambda w: on_site_unknown("certifications.Certification"),
        NOWHERE,
    ),
    ("view on site request Sanggau", lambda w: on_site(w.request_sanggau), VOS_SANGGAU),
    ("view on site request Ketapang", lambda w: on_site(w.request_ketapang), VOS_KETAPANG),
    (
        "view on site request unknown id",
        lambda w: on_site_unknown("certifications.Request"),
        NOWHERE,
    ),
    ("view on site region Sanggau", lambda w: on_site(w.region_sanggau), VOS_SANGGAU),
    ("view on site region Ketapang", lambda w: on_site(w.region_ketapang), VOS_KETAPANG),
    ("view on site sentra (no public page)", lambda w: on_site(w.sentra_sanggau), NOWHERE),
    ("view on site unknown content type", lambda w: admin("view_on_site", 99999, 1), NOWHERE),
    (
        "view on site unregistered model",
        lambda w: on_site(w.unit_sanggau.history.latest()),
        NOWHERE,
    ),
    # history pages of every scoped model, and the revert forms
    ("unit history unknown id", lambda w: admin("ikm_ikmunit_history", UNKNOWN_ID), NOWHERE),
    (
        "sentra history Sanggau",
        lambda w: admin("ikm_sentra_history", w.sentra_sanggau.pk),
        SANGGAU_OBJECT,
    ),
    (
        "sentra history Ketapang",
        lambda w: admin("ikm_sentra_history", w.sentra_ketapang.pk),
        KETAPANG_OBJECT,
    ),
    (
        "request history Sanggau",
        lambda w: admin("certifications_request_history", w.request_sanggau.pk),
        SANGGAU_OBJECT,
    ),
    (
        "request history Ketapang",
        lambda w: admin("certifications_request_history", w.request_ketapang.pk),
        KETAPANG_OBJECT,
    ),
    (
        "claim history Sanggau",
        lambda w: admin("ikm_unitclaim_history", w.claim_sanggau.pk),
        SANGGAU_OBJECT,
    ),
    (
        "claim history Ketapang",
        lambda w: admin("ikm_unitclaim_history", w.claim_ketapang.pk),
        KETAPANG_OBJECT,
    ),
    (
        "request-document history Ketapang",
        lambda w: admin("certifications_requestdocument_history", w.document_ketapang.pk),
        KETAPANG_OBJECT,
    ),
    (
        "status-change history Ketapang",
        lambda w: admin("certifications_statuschange_history", w.status_change_ketapang.pk),
        KETAPANG_OBJECT,
    ),
    (
        "product revert form Sanggau",
        lambda w: admin(
            "products_product_simple_history", w.product_sanggau.pk, w.product_sanggau_history_id
        ),
        SANGGAU_OBJECT,
    ),
    (
        "product revert form Ketapang",
        lambda w: admin(
            "products_product_simple_history",
            w.product_ketapang.pk,
            w.product_ketapang_history_id,
        ),
        KETAPANG_OBJECT,
    ),
    (
        "certificate revert form Ketapang",
        lambda w: admin(
            "certifications_certification_simple_history",
            w.cert_ketapang.pk,
            w.cert_ketapang_history_id,
        ),
        KETAPANG_OBJECT,
    ),
    (
        "region history Ketapang",
        lambda w: admin("ikm_region_history", w.region_ketapang.pk),
        KETAPANG_OBJECT,
    ),
    ("region Sanggau", lambda w: admin("ikm_region_change", w.region_sanggau.pk), SANGGAU_OBJECT),
    (
        "region Ketapang",
        lambda w: admin("ikm_region_change", w.region_ketapang.pk),
        KETAPANG_OBJECT,
    ),
    # change (review) pages of requests, documents, status changes and claims
    (
        "request Sanggau",
        lambda w: admin("certifications_request_change", w.request_sanggau.pk),
        SANGGAU_OBJECT,
    ),
    (
        "request Ketapang",
        lambda w: admin("certifications_request_change", w.request_ketapang.pk),
        KETAPANG_OBJECT,
    ),
    (
        "request unknown id",
        lambda w: admin("certifications_request_change", UNKNOWN_ID),
        NOWHERE,
    ),
    (
        "request return form Sanggau",
        lambda w: admin("certifications_request_verb", w.request_sanggau.pk, "kembalikan"),
        VERB_SANGGAU,
    ),
    (
        "request return form Ketapang",
        lambda w: admin("certifications_request_verb", w.request_ketapang.pk, "kembalikan"),
        VERB_KETAPANG,
    ),
    (
        "request-document Sanggau",
        lambda w: admin("certifications_requestdocument_change", w.document_sanggau.pk),
        SANGGAU_OBJECT,
    ),
    (
        "request-document Ketapang",
        lambda w: admin("certifications_requestdocument_change", w.document_ketapang.pk),
        KETAPANG_OBJECT,
    ),
    (
        "status-change Sanggau",
        lambda w: admin("certifications_statuschange_change", w.status_change_sanggau.pk),
        SANGGAU_OBJECT,
    ),
    (
        "status-change Ketapang",
        lambda w: admin("certifications_statuschange_change", w.status_change_ketapang.pk),
        KETAPANG_OBJECT,
    ),
    ("claim Sanggau", lambda w: admin("ikm_unitclaim_change", w.claim_sanggau.pk), SANGGAU_OBJECT),
    (
        "claim Ketapang",
        lambda w: admin("ikm_unitclaim_change", w.claim_ketapang.pk),
        KETAPANG_OBJECT,
    ),
    # delete confirmation pages of the other scoped models
    (
        "product delete Sanggau",
        lambda w: admin("products_product_delete", w.product_sanggau.pk),
        DELETE_SANGGAU_ALL,
    ),
    (
        "product delete Ketapang",
        lambda w: admin("products_product_delete", w.product_ketapang.pk),
        DELETE_KETAPANG_ALL,
    ),
    (
        "certificate delete Ketapang",
        lambda w: admin("certifications_certification_delete", w.cert_ketapang.pk),
        DELETE_KETAPANG,
    ),
    (
        "sentra delete Ketapang",
        lambda w: admin("ikm_sentra_delete", w.sentra_ketapang.pk),
        DELETE_KETAPANG,
    ),
    # autocomplete of every chooser (results scoped: test_autocomplete_results_are_scoped)
    ("autocomplete sentra", lambda w: autocomplete("ikm", "ikmunit", "sentra", "sentra"), STAFF),
    ("autocomplete product unit", lambda w: autocomplete("products", "product", "unit"), STAFF),
    ("autocomplete sentra desa", lambda w: autocomplete("ikm", "sentra", "desa", "a"), STAFF),
    # new pages (H12a): the request queue
    ("request queue", lambda w: admin("request_queue"), STAFF),
    ("request queue all", lambda w: admin("request_queue") + "?antrean=semua", STAFF),
]


# --- issue 13 (PDP): owners' data requests, scoped through the owner's units; the erasure log --
def _data_request(w, region: str):
    """A correction request of the owner of the world's unit in ``region``, made on first use."""
    cached = getattr(w, f"dsr_{region}", None)
    if cached is None:
        from ikm import privacy
        from ikm.models import IKMUnit

        unit = getattr(w, f"unit_{region}")
        user = getattr(w, f"request_{region}").created_by
        IKMUnit.objects.filter(pk=unit.pk).update(owner=user)
        cached = privacy.dsr_create(user=user, kind="koreksi", field="other", note="x")
        setattr(w, f"dsr_{region}", cached)
    return cached


ISSUE13_PDP_ROWS = [
    ("data-request changelist", lambda w: admin("ikm_datasubjectrequest_changelist"), STAFF),
    (
        "data-request Sanggau",
        lambda w: admin("ikm_datasubjectrequest_change", _data_request(w, "sanggau").pk),
        SANGGAU_OBJECT,
    ),
    (
        "data-request Ketapang",
        lambda w: admin("ikm_datasubjectrequest_change", _data_request(w, "ketapang").pk),
        KETAPANG_OBJECT,
    ),
    (
        "data-request history Sanggau",
        lambda w: admin("ikm_datasubjectrequest_history", _data_request(w, "sanggau").pk),
        SANGGAU_OBJECT,
    ),
    ("erasure changelist", lambda w: admin("ikm_erasure_changelist"), SUPERUSER_ONLY),
]
MATRIX += ISSUE13_PDP_ROWS
# Issue 10: saved column mappings of imports, seen by every official (made on the mapping screen).
ISSUE10_ROWS = [
    (
        "import-mapping changelist",
        lambda w: admin("backoffice_importmapping_changelist"),
        STAFF,
    ),
]


def _alias(w, region: str):
    """A saved other name of the desa of the world's unit in ``region``, made on first use."""
    cached = getattr(w, f"alias_{region}", None)
    if cached is None:
        from ikm.models import RegionAlias

        unit = getattr(w, f"unit_{region}")
        cached = RegionAlias.objects.create(alias=f"Nama lain {region}", region_id=unit.desa_id)
        setattr(w, f"alias_{region}", cached)
    return cached


# Issue 10: region aliases ("Nama lain wilayah"), saved by officials within their own region.
ISSUE10_ROWS += [
    ("region-alias changelist", lambda w: admin("ikm_regionalias_changelist"), STAFF),
    ("region-alias add", lambda w: admin("ikm_regionalias_add"), STAFF),
    (
        "region-alias Sanggau",
        lambda w: admin("ikm_regionalias_change", _alias(w, "sanggau").pk),
        SANGGAU_OBJECT,
    ),
    (
        "region-alias Ketapang",
        lambda w: admin("ikm_regionalias_change", _alias(w, "ketapang").pk),
        KETAPANG_OBJECT,
    ),
    (
        "region-alias history Ketapang",
        lambda w: admin("ikm_regionalias_history", _alias(w, "ketapang").pk),
        KETAPANG_OBJECT,
    ),
]
MATRIX += ISSUE10_ROWS
# Issue 13 (MFA, sessions, security events): every staff account reaches its own security page
# (after the second factor: tests/accounts); MFA recovery and the event log are for superusers.
ISSUE13_MFA_ROWS = [
    ("security events", lambda w: admin("accounts_securityevent_changelist"), SUPERUSER_ONLY),
    ("account security page", lambda w: admin("account_security"), INDEX),
    ("MFA recovery", lambda w: admin("mfa_recovery"), SUPERUSER_ONLY),
]
MATRIX += ISSUE13_MFA_ROWS


def _synonym(w):
    """A search synonym (province-wide data: no region), made on first use."""
    cached = getattr(w, "synonym", None)
    if cached is None:
        from products.models import SearchSynonym

        cached = SearchSynonym.objects.create(term="kain matrix", related=["tenun"])
        w.synonym = cached
    return cached


# Issue 14: search synonyms. Province officials edit them; kab/kota officials may only read.
PROVINCE_EDITS = codes(sanggau=403, ketapang=403)
ISSUE14_SYNONYM_ROWS = [
    ("synonym changelist", lambda w: admin("products_searchsynonym_changelist"), STAFF),
    ("synonym add", lambda w: admin("products_searchsynonym_add"), PROVINCE_EDITS),
    ("synonym change", lambda w: admin("products_searchsynonym_change", _synonym(w).pk), STAFF),
    (
        "synonym history",
        lambda w: admin("products_searchsynonym_history", _synonym(w).pk),
        codes(no_scope=404),  # like every history page: nothing leaks to staff without scope
    ),
    (
        "synonym delete",
        lambda w: admin("products_searchsynonym_delete", _synonym(w).pk),
        PROVINCE_EDITS,
    ),
]
MATRIX += ISSUE14_SYNONYM_ROWS


def _event(w, region: str):
    """A published event in the region's kab/kota with one registration, made on first use."""
    cached = getattr(w, f"event_{region}", None)
    if cached is None:
        from tests.support.events import make_event, make_registration

        kab = "61.03" if region == "sanggau" else "61.04"
        event = make_event(title=f"Pelatihan {region}", kabupaten=kab)
        cached = make_registration(event, getattr(w, f"unit_{region}"))
        setattr(w, f"event_{region}", cached)
    return cached


def _checkin(w, region: str) -> str:
    from events.tokens import checkin_token

    return admin("events_registration_checkin", checkin_token(_event(w, region).pk))


# Issue 16 (events): events and attendees of a kab/kota are that kab/kota's (and the province's);
# the event verbs and the phone check-in page refuse staff without scope before any look-up.
ISSUE16_EVENT_ROWS = [
    ("event changelist", lambda w: admin("events_event_changelist"), STAFF),
    ("event add", lambda w: admin("events_event_add"), STAFF),
    ("registration changelist", lambda w: admin("events_registration_changelist"), STAFF),
]
for _region, _pattern, _verb in (
    ("sanggau", SANGGAU_OBJECT, VERB_SANGGAU),
    ("ketapang", KETAPANG_OBJECT, VERB_KETAPANG),
):
    ISSUE16_EVENT_ROWS += [
        (
            f"event {_region}",
            lambda w, r=_region: admin("events_event_change", _event(w, r).event_id),
            _pattern,
        ),
        (
            f"event history {_region}",
            lambda w, r=_region: admin("events_event_history", _event(w, r).event_id),
            _pattern,
        ),
        (
            f"event cancel form {_region}",
            lambda w, r=_region: admin("events_event_verb", _event(w, r).event_id, "batalkan"),
            _verb,
        ),
        (
            f"registration {_region}",
            lambda w, r=_region: admin("events_registration_change", _event(w, r).pk),
            _pattern,
        ),
        (
            f"registration history {_region}",
            lambda w, r=_region: admin("events_registration_history", _event(w, r).pk),
            _pattern,
        ),
        (f"check-in page {_region}", lambda w, r=_region: _checkin(w, r), _verb),
    ]
MATRIX += ISSUE16_EVENT_ROWS


def _consignment(w, region: str):
    """A received note of the region's unit with a sale last month, and that month's settlement,
    made on first use through the services (``consignment``)."""
    cached = getattr(w, f"consignment_{region}", None)
    if cached is None:
        import datetime

        from django.utils import timezone

        from consignment import services
        from tests.factories import UserFactory

        clerk = UserFactory(username="kasir_showroom", is_staff=True, is_superuser=True)
        unit, product = getattr(w, f"unit_{region}"), getattr(w, f"product_{region}")
        month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
        at = timezone.make_aware(datetime.datetime.combine(month, datetime.time(10)))
        note = services.note_create(unit_id=unit.pk, official=clerk)
        item = services.note_add_item(
            note_id=note.pk,
            official=clerk,
            product_id=product.pk,
            quantity=5,
            consignment_price=8_000,
            selling_price=10_000,
        )
        services.note_receive(note_id=note.pk, official=clerk, at=at)
        entry = services.sale_record(item_id=item.pk, official=clerk, quantity=1, at=at)
        settlement = services.settlement_open(unit_id=unit.pk, month=month, official=clerk)
        cached = (note, item, entry, settlement)
        setattr(w, f"consignment_{region}", cached)
    return cached


# Issue 16 (consignment): notes, ledger rows and settlements belong to the unit's kab/kota; the
# sale screen needs the ledger permission first (staff without scope: 403 before any look-up).
ISSUE16_CONSIGNMENT_ROWS = [
    ("note changelist", lambda w: admin("consignment_consignmentnote_changelist"), STAFF),
    ("note add", lambda w: admin("consignment_consignmentnote_add"), STAFF),
    ("ledger changelist", lambda w: admin("consignment_ledgerentry_changelist"), STAFF),
    ("sale screen", lambda w: admin("consignment_ledgerentry_sale"), STAFF),
    ("settlement changelist", lambda w: admin("consignment_settlement_changelist"), STAFF),
    ("settlement add", lambda w: admin("consignment_settlement_add"), STAFF),
]
for _region, _pattern, _verb in (
    ("sanggau", SANGGAU_OBJECT, VERB_SANGGAU),
    ("ketapang", KETAPANG_OBJECT, VERB_KETAPANG),
):
    ISSUE16_CONSIGNMENT_ROWS += [
        (
            f"note {_region}",
            lambda w, r=_region: admin(
                "consignment_consignmentnote_change", _consignment(w, r)[0].pk
            ),
            _pattern,
        ),
        (
            f"note history {_region}",
            lambda w, r=_region: admin(
                "consignment_consignmentnote_history", _consignment(w, r)[0].pk
            ),
            _pattern,
        ),
        (
            f"sale item {_region}",
            lambda w, r=_region: admin(
                "consignment_ledgerentry_sale_item", _consignment(w, r)[1].pk
            ),
            _verb,
        ),
        (
            f"ledger row {_region}",
            lambda w, r=_region: admin("consignment_ledgerentry_change", _consignment(w, r)[2].pk),
            _pattern,
        ),
        (
            f"ledger row history {_region}",
            lambda w, r=_region: admin("consignment_ledgerentry_history", _consignment(w, r)[2].pk),
            _pattern,
        ),
        (
            f"settlement {_region}",
            lambda w, r=_region: admin("consignment_settlement_change", _consignment(w, r)[3].pk),
            _pattern,
        ),
        (
            f"settlement history {_region}",
            lambda w, r=_region: admin("consignment_settlement_history", _consignment(w, r)[3].pk),
            _pattern,
        ),
        (
            f"settlement receipt {_region}",
            lambda w, r=_region: admin("consignment_settlement_receipt", _consignment(w, r)[3].pk),
            _pattern,
        ),
    ]
MATRIX += ISSUE16_CONSIGNMENT_ROWS


def _programme(w, region: str):
    """A curation round with a submission and a buyer's request in the region's kab/kota."""
    cached = getattr(w, f"programme_{region}", None)
    if cached is None:
        import datetime as dt

        from django.utils import timezone as tz

        from curation.models import Criterion, Round, Submission
        from matching.models import BuyerRequest

        kab = "61.03" if region == "sanggau" else "61.04"
        unit = getattr(w, f"unit_{region}")
        round_ = Round.objects.create(
            title=f"Kurasi {region}", slug=f"kurasi-{region}", kabupaten_id=kab,
            submission_deadline=tz.now() + dt.timedelta(days=7),
            period_start=tz.localdate(), period_end=tz.localdate() + dt.timedelta(days=30),
            status=Round.Status.SCORING, created_by=getattr(w, f"matrix_owner_{region}"),
        )  # fmt: skip
        Criterion.objects.create(round=round_, name="Mutu", weight=1, max_score=5)
        sub = Submission.objects.create(
            round=round_, product=getattr(w, f"product_{region}"), unit=unit,
            submitted_by=getattr(w, f"matrix_owner_{region}"),
        )  # fmt: skip
        req = BuyerRequest.objects.create(
            product_wanted="lempok", quantity="10", kabupaten_id=kab, buyer_name="Pembeli",
            buyer_email="pembeli@example.id",
        )  # fmt: skip
        cached = (round_, sub, req)
        setattr(w, f"programme_{region}", cached)
    return cached


# Issue 16 (curation, matching): rounds, submissions (the score page) and buyers' requests of a
# kab/kota are that kab/kota's (and the province's). Round verbs are POST only (405 on GET),
# refused to staff without scope before any look-up.
VERB_POST_SANGGAU = codes(sanggau=405, ketapang=404, province=405, superuser=405, no_scope=403)
VERB_POST_KETAPANG = codes(sanggau=404, ketapang=405, province=405, superuser=405, no_scope=403)
ISSUE16_PROGRAMME_ROWS = [
    ("round changelist", lambda w: admin("curation_round_changelist"), STAFF),
    ("round add", lambda w: admin("curation_round_add"), STAFF),
    ("submission changelist", lambda w: admin("curation_submission_changelist"), STAFF),
    ("buyer-request changelist", lambda w: admin("matching_buyerrequest_changelist"), STAFF),
]
for _region, _pattern, _verb in (
    ("sanggau", SANGGAU_OBJECT, VERB_POST_SANGGAU),
    ("ketapang", KETAPANG_OBJECT, VERB_POST_KETAPANG),
):
    ISSUE16_PROGRAMME_ROWS += [
        (
            f"round {_region}",
            lambda w, r=_region: admin("curation_round_change", _programme(w, r)[0].pk),
            _pattern,
        ),
        (
            f"round history {_region}",
            lambda w, r=_region: admin("curation_round_history", _programme(w, r)[0].pk),
            _pattern,
        ),
        (
            f"round verb {_region}",
            lambda w, r=_region: admin("curation_round_verb", _programme(w, r)[0].pk, "umumkan"),
            _verb,
        ),
        (
            f"round top-N {_region}",
            lambda w, r=_region: admin("curation_round_top", _programme(w, r)[0].pk),
            _verb,
        ),
        (
            f"submission score page {_region}",
            lambda w, r=_region: admin("curation_submission_change", _programme(w, r)[1].pk),
            _pattern,
        ),
        (
            f"submission history {_region}",
            lambda w, r=_region: admin("curation_submission_history", _programme(w, r)[1].pk),
            _pattern,
        ),
        (
            f"buyer request {_region}",
            lambda w, r=_region: admin("matching_buyerrequest_change", _programme(w, r)[2].pk),
            _pattern,
        ),
        (
            f"buyer request history {_region}",
            lambda w, r=_region: admin("matching_buyerrequest_history", _programme(w, r)[2].pk),
            _pattern,
        ),
    ]
MATRIX += ISSUE16_PROGRAMME_ROWS


@pytest.fixture
def world(world, official_sanggau, job_files, owner, other_owner):
    """The shared world, plus a failed import job of the Sanggau official with its report, and
    a request (with documents and a status change) and a claim in each kab/kota."""
    from django.core.files.base import ContentFile

    from certifications.models import Request, RequestDocument, StatusChange
    from certifications.uploads import REQUIRED_DOCUMENTS
    from ikm.models import Region, UnitClaim
    from jobs.models import Job
    from tests.support.requests import make_request

    for name, unit, user in (
        ("sanggau", world.unit_sanggau, owner),
        ("ketapang", world.unit_ketapang, other_owner),
    ):
        req = make_request(unit, user, status=Request.Status.SUBMITTED, complete=False)
        setattr(world, f"request_{name}", req)
        document = RequestDocument.objects.create(  # (a row only: pages link to the file)
            request=req,
            doc_type=REQUIRED_DOCUMENTS[req.kind][0],
            original_name="ktp.pdf",
            content_type="application/pdf",
            size=100,
            uploaded_by=user,
            file=f"permohonan/{name}-ktp.pdf",
        )
        setattr(world, f"document_{name}", document)
        change = StatusChange.objects.create(
            request=req,
            from_status=Request.Status.DRAFT,
            to_status=Request.Status.SUBMITTED,
            actor=user,
        )
        setattr(world, f"status_change_{name}", change)
        setattr(world, f"claim_{name}", UnitClaim.objects.create(unit=unit, user=user))
    world.matrix_owner_sanggau, world.matrix_owner_ketapang = owner, other_owner
    world.region_sanggau = Region.objects.get(code="61.03")
    world.region_ketapang = Region.objects.get(code="61.04")
    world.product_sanggau_history_id = world.product_sanggau.history.latest().history_id
    world.product_ketapang_history_id = world.product_ketapang.history.latest().history_id
    world.cert_ketapang_history_id = world.cert_ketapang.history.latest().history_id

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
        except (AttributeError, RuntimeError):  # a URL of an object of the world (or of the DB)
            pass
    missing = [
        model._meta.label
        for model in django_admin.site._registry
        if admin(f"{model._meta.app_label}_{model._meta.model_name}_changelist") not in urls
    ]
    assert missing == []


def test_matrix_size():
    assert len(MATRIX) == (
        62
        + ISSUE12_ROWS
        + len(ISSUE13_PDP_ROWS)
        + len(ISSUE10_ROWS)
        + len(ISSUE13_MFA_ROWS)
        + len(ISSUE14_SYNONYM_ROWS)
        + len(ISSUE16_EVENT_ROWS)
        + len(ISSUE16_CONSIGNMENT_ROWS)
        + len(ISSUE16_PROGRAMME_ROWS)
    )
    assert len(CASES) == len(MATRIX) * len(ROLES)


ISSUE12_ROWS = 53


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
        if response.status_code == 302 and not response["Location"].startswith(
            reverse("admin:login")
        ):
            assert address.startswith("/admin/r/"), (role, response["Location"])
            assert not response["Location"].startswith("/admin/"), response["Location"]
            got[role] = SITE
    assert got == expected, (name, address)


# --- issue 12: out of scope looks exactly like unknown; autocomplete results; every scoped URL ----
@pytest.mark.django_db
def test_view_on_site_out_of_scope_is_the_same_404_as_unknown(client, world, official_sanggau):
    client.force_login(official_sanggau)
    for obj, label in (
        (world.unit_ketapang, "ikm.IKMUnit"),
        (world.product_ketapang, "products.Product"),
        (world.request_ketapang, "certifications.Request"),
    ):
        out_of_scope, unknown = on_site(obj), on_site_unknown(label)
        a, b = client.get(out_of_scope), client.get(unknown)
        assert a.status_code == b.status_code == 404
        body_a = a.content.decode().replace(out_of_scope, "URL")
        body_b = b.content.decode().replace(unknown, "URL")
        assert body_a == body_b
        assert not a.has_header("Location")
    # in scope: the redirect to the public page
    response = client.get(on_site(world.unit_sanggau))
    assert response.status_code == 302
    assert response["Location"].endswith(world.unit_sanggau.get_absolute_url())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("source", "term", "sanggau_sees", "ketapang_sees"),
    [
        (("products", "product", "unit"), "Amplang", False, True),
        (("products", "product", "unit"), "Lempok", True, False),
        (("certifications", "certification", "products"), "Amplang", False, True),
        (("ikm", "ikmunit", "sentra"), "Sentra Amplang", False, True),
        (("ikm", "sentra", "desa"), "", None, None),
    ],
)
def test_autocomplete_results_are_scoped(
    client, world, official_sanggau, official_ketapang, province_official, source, term,
    sanggau_sees, ketapang_sees,
):  # fmt: skip
    url = autocomplete(*source, term)

    def results(user):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        return response.json()["results"]

    if sanggau_sees is None:  # desa choices: only desa of the official's own kab/kota
        texts = results(official_sanggau)
        assert texts and all("Sanggau" in r["text"] for r in texts), texts[:3]
        return
    assert bool(results(official_sanggau)) is sanggau_sees
    assert bool(results(official_ketapang)) is ketapang_sees
    assert results(province_official)  # province-wide sees both


# URL kinds every region-scoped model must have in MATRIX (each with objects of two regions).
SCOPED_URL_KINDS = ("change", "history")
# Region-scoped admins added in this wave by other issues, whose rows their authors add (their
# objects' rules are theirs): data-subject requests (issue 13, PDP), region aliases (issue 10).
ROWS_ADDED_BY_THEIR_AUTHORS: set[str] = set()
# Site pages that are not about regions: the account's own pages (MFA, password) and Django's.
UNSCOPED_SITE_URLS = {
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "jsi18n",
    "app_list",
    "mfa_verify",
    "mfa_enrol",
    "account_security",
    "mfa_backup_codes",
    "mfa_recovery",
    "logout_everywhere",
}


@pytest.mark.django_db
def test_every_scoped_admin_url_is_in_the_matrix(world):
    """Every site page, and the change and history page of every region-scoped model (plus its
    "view on site" when it has a public page), has rows in MATRIX."""
    from django.contrib import admin as django_admin
    from django.urls import URLResolver, resolve

    from backoffice.mixins import ScopedAdminMixin

    covered = set()
    for _name, url, _expected in MATRIX:
        match = resolve(url(world).split("?")[0])
        covered.add(match.url_name)
    missing = []
    for pattern in django_admin.site.get_urls():
        if isinstance(pattern, URLResolver) or pattern.name is None:
            continue
        if pattern.name not in covered and pattern.name not in UNSCOPED_SITE_URLS:
            missing.append(pattern.name)
    for model, model_admin in django_admin.site._registry.items():
        if not isinstance(model_admin, ScopedAdminMixin) or model_admin.superuser_only:
            continue
        prefix = f"{model._meta.app_label}_{model._meta.model_name}"
        if prefix in ROWS_ADDED_BY_THEIR_AUTHORS:
            continue
        missing += [
            f"{prefix}_{kind}" for kind in SCOPED_URL_KINDS if f"{prefix}_{kind}" not in covered
        ]
    assert missing == []
    on_site_models = {
        row[0].removeprefix("view on site ").split(" ")[0]
        for row in MATRIX
        if row[0].startswith("view on site")
    }
    assert {"unit", "product", "certificate", "request", "region"} <= on_site_models


@pytest.mark.django_db
def test_document_preview_of_the_review_page_is_scoped(client, world, official_sanggau):
    """The review page previews documents through the checking download view (``?tampil=1``):
    another region's document is the same 404 as a document that does not exist."""
    client.force_login(official_sanggau)
    other = reverse("portal:document_download", args=[world.document_ketapang.pk])
    unknown = reverse("portal:document_download", args=[UNKNOWN_ID])
    assert client.get(other + "?tampil=1").status_code == 404
    assert client.get(unknown + "?tampil=1").status_code == 404
    assert client.get(other).status_code == 404
