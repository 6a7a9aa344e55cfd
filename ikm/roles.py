"""Officials' role groups: "Pejabat Provinsi" and "Pejabat Kabupaten/Kota".

Created by the data migration ``ikm/migrations/0003_role_groups.py`` and kept in step by
:func:`ensure_role_groups`. ``ikm.view_nik`` is deliberately in neither group: it is granted person
by person. Which region an official sees comes from their ``Official`` row, not from the group.
"""

from __future__ import annotations

PROVINCE_GROUP = "Pejabat Provinsi"
KABUPATEN_GROUP = "Pejabat Kabupaten/Kota"

_CURATE = ("view", "add", "change")
_CURATE_ALL = ("view", "add", "change", "delete")

# The showroom staff's rights on the consignment ledger (issue 16), the same for both groups: a
# province official runs the Griya IKM showroom; a kab/kota official may keep the ledger of the
# units of their own region. The ledger is append-only (no change/delete on its rows).
CONSIGNMENT: dict[tuple[str, str], tuple[str, ...]] = {
    ("consignment", "consignmentnote"): ("view", "add", "change"),
    ("consignment", "consignmentitem"): _CURATE_ALL,
    ("consignment", "notestatuschange"): ("view",),
    ("consignment", "ledgerentry"): ("view", "add"),
    ("consignment", "settlement"): ("view", "add", "change"),
    ("consignment", "settlementstatuschange"): ("view",),
    ("consignment", "payment"): ("view", "add"),
}

# Events (issue 16), the same for both groups: officials publish their region's events and check
# attendees in (events/migrations/0002). Events are cancelled, never deleted.
EVENTS: dict[tuple[str, str], tuple[str, ...]] = {
    ("events", "event"): ("view", "add", "change"),
    ("events", "registration"): ("view", "change"),
}

# (app_label, model) -> actions, plus extra codenames. Kept in step with migrations 0003 and 0004
# (region aliases), and products/migrations/0007_issue14 (search synonyms).
ROLE_PERMISSIONS: dict[str, dict[tuple[str, str], tuple[str, ...]]] = {
    PROVINCE_GROUP: {
        ("ikm", "region"): ("view",),
        ("ikm", "regionalias"): _CURATE_ALL,
        ("ikm", "sentra"): _CURATE_ALL,
        ("ikm", "ikmunit"): _CURATE_ALL,
        ("ikm", "unitclaim"): ("view", "change"),
        ("products", "product"): _CURATE_ALL,
        ("products", "productphoto"): _CURATE_ALL,
        ("products", "marketplacelink"): _CURATE_ALL,
        ("products", "searchsynonym"): _CURATE_ALL,
        ("certifications", "certification"): _CURATE_ALL,
        ("certifications", "request"): ("view", "change"),
        ("certifications", "requestdocument"): ("view",),
        ("certifications", "statuschange"): ("view",),
        # issue 16: curation rounds and business matching (scoped in the back-office)
        ("curation", "round"): ("view", "add", "change"),
        ("curation", "criterion"): _CURATE_ALL,
        ("curation", "submission"): ("view", "change"),
        ("matching", "buyerrequest"): ("view", "change"),
        ("matching", "routing"): ("view",),
        # issue 16: the showroom's consignment ledger (consignment/migrations/0002)
        **CONSIGNMENT,
        **EVENTS,
    },
    KABUPATEN_GROUP: {
        ("ikm", "region"): ("view",),
        ("ikm", "regionalias"): _CURATE_ALL,
        ("ikm", "sentra"): _CURATE,
        ("ikm", "ikmunit"): _CURATE,
        ("ikm", "unitclaim"): ("view", "change"),
        ("products", "product"): _CURATE_ALL,
        ("products", "productphoto"): _CURATE_ALL,
        ("products", "marketplacelink"): _CURATE_ALL,
        ("products", "searchsynonym"): ("view",),
        ("certifications", "certification"): _CURATE,
        ("certifications", "request"): ("view", "change"),
        ("certifications", "requestdocument"): ("view",),
        ("certifications", "statuschange"): ("view",),
        # issue 16: curation rounds and business matching (scoped in the back-office)
        ("curation", "round"): ("view", "add", "change"),
        ("curation", "criterion"): _CURATE_ALL,
        ("curation", "submission"): ("view", "change"),
        ("matching", "buyerrequest"): ("view", "change"),
        ("matching", "routing"): ("view",),
        # issue 16: the showroom's consignment ledger (consignment/migrations/0002)
        **CONSIGNMENT,
        **EVENTS,
    },
}
ROLE_EXTRA_PERMISSIONS: dict[str, tuple[tuple[str, str], ...]] = {
    PROVINCE_GROUP: (("ikm", "verify_ikmunit"), ("certifications", "review_request")),
    KABUPATEN_GROUP: (("ikm", "verify_ikmunit"), ("certifications", "review_request")),
}


def role_permission_codenames(group_name: str) -> list[tuple[str, str]]:
    """(app_label, codename) pairs of a role group."""
    pairs = [
        (app_label, f"{action}_{model}")
        for (app_label, model), actions in ROLE_PERMISSIONS[group_name].items()
        for action in actions
    ]
    return pairs + list(ROLE_EXTRA_PERMISSIONS[group_name])


def ensure_role_groups() -> None:
    """Create or update the two role groups (idempotent; also for tests that flush the DB)."""
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    for group_name in ROLE_PERMISSIONS:
        group, _created = Group.objects.get_or_create(name=group_name)
        condition = Q(pk__in=[])
        for app_label, codename in role_permission_codenames(group_name):
            condition |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.filter(condition))


def role_group_name(kabupaten_id: str | None) -> str:
    return PROVINCE_GROUP if kabupaten_id is None else KABUPATEN_GROUP
