"""What open data may show of a unit: the one rule for the API and the bulk datasets.

The same notion as the public unit page (templates/public/unit_detail.html): the business name,
description, business address, region codes, KBLI, scale, year founded, sentra, website, and the
business phone / WhatsApp / e-mail only when the owner chose to show them
(``ikm.models.UNIT_SHOWN_CONTACT_FIELDS``). Never the NIK, the owner's home address or private
phone, the owner's account e-mail, NIB/NPWP, figures reported in confidence (investment,
production value, workers) or request documents.
"""

from __future__ import annotations

from ikm.models import UNIT_SHOWN_CONTACT_FIELDS

# Contact field -> the flag that shows it (phone -> phone_public, …).
SHOWN_CONTACTS = {flag.removesuffix("_public"): flag for flag in UNIT_SHOWN_CONTACT_FIELDS}


def shown_contact(values: dict, name: str) -> str:
    """The contact ``name`` of a unit (a dict of its raw fields), or "" when it is not shown."""
    return (values.get(name) or "") if values.get(SHOWN_CONTACTS[name]) else ""
