"""Certificate number formats per type, in one place.

Formats marked "check" in domain.md come from secondary sources: they are validated leniently
(a plausible shape, not an exact pattern).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# type -> (regex on the normalised number, message, lenient?)
NUMBER_FORMATS: dict[str, tuple[str, str, bool]] = {
    # BPJPH: "ID" then digits (check) -> lenient: ID + at least 6 more digits/letters.
    "halal": (r"^ID[0-9A-Z]{6,30}$", _("Nomor sertifikat halal diawali 'ID' lalu angka."), True),
    # DJKI registration numbers: IDM (merek), IDD (desain), EC (hak cipta), IDP/IDS (paten).
    "merek": (r"^IDM[0-9]{6,12}$", _("Nomor merek DJKI berbentuk IDM diikuti angka."), False),
    "desain_industri": (
        r"^IDD[0-9]{6,12}$",
        _("Nomor desain industri berbentuk IDD diikuti angka."),
        False,
    ),
    "hak_cipta": (
        r"^(EC)?[0-9]{6,14}$",
        _("Nomor pencatatan hak cipta berbentuk EC diikuti angka."),
        True,
    ),
    "paten": (r"^(IDP|IDS)[0-9]{6,12}$", _("Nomor paten berbentuk IDP/IDS diikuti angka."), False),
    # OVOP: decree number and year, free text with a 4-digit year.
    "ovop": (
        r"^[0-9A-Z./\- ]*(19|20)[0-9]{2}[0-9A-Z./\- ]*$",
        _("Nomor OVOP adalah nomor keputusan yang memuat tahun."),
        True,
    ),
    # SPP-IRT: 15 digits (check) -> lenient: 12 to 17 digits.
    "spp_irt": (r"^[0-9]{12,17}$", _("Nomor SPP-IRT berupa 15 digit angka."), True),
    "sni": (r"^[0-9A-Z./\-]{4,40}$", _("Nomor sertifikat SNI tidak valid."), True),
    # BPOM MD: "MD" + digits (check) -> lenient: MD + 9 to 15 digits.
    "bpom_md": (r"^MD[0-9]{9,15}$", _("Nomor BPOM diawali 'MD' lalu angka."), True),
}


def normalize_number(cert_type: str, number: str) -> str:
    value = re.sub(r"\s+", " ", (number or "").strip().upper())
    if cert_type in {
        "halal",
        "merek",
        "desain_industri",
        "paten",
        "spp_irt",
        "bpom_md",
        "hak_cipta",
    }:
        value = re.sub(r"[\s.\-]", "", value)
    return value


def validate_number(cert_type: str, number: str) -> str:
    """Return the normalised number or raise a ValidationError naming the expected format."""
    value = normalize_number(cert_type, number)
    if not value:
        raise ValidationError(_("Nomor sertifikat wajib diisi."), code="required")
    rule = NUMBER_FORMATS.get(cert_type)
    if rule and not re.fullmatch(rule[0], value):
        raise ValidationError(rule[1], code="invalid_number")
    return value
