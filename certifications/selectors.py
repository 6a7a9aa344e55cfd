"""Reads for the public certificate verification page."""

from __future__ import annotations

import re

from django.db.models import Prefetch

from products.models import Product

from .models import Certification

MAX_NUMBER_LENGTH = 100


def number_candidates(raw: str) -> set[str]:
    """The forms a typed number may be stored in: as typed (trimmed, upper case, single
    spaces) and without spaces, dots and dashes (how certifications.formats stores most types)."""
    printable = re.sub(r"[\x00-\x1f\x7f]", "", raw or "")  # PostgreSQL refuses NUL in text
    value = re.sub(r"\s+", " ", printable.strip().upper())
    return {value, re.sub(r"[\s.\-]", "", value)} - {""}


def verify_certificate(raw: str) -> list[Certification]:
    """Certificates of verified units whose number is exactly ``raw`` (normalised): no near
    matches, ever. Two queries (the certificates, then their public products)."""
    candidates = number_candidates(raw[:MAX_NUMBER_LENGTH])
    if not candidates:
        return []
    return list(
        Certification.objects.with_status()
        .filter(number__in=candidates, unit__verified=True)
        .select_related("unit__desa__parent__parent")
        .prefetch_related(Prefetch("products", queryset=Product.objects.public().order_by("name")))
        .order_by("type")
    )
