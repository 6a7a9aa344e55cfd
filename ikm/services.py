"""Writes for IKM units. Views, admin, importers and commands call these; no logic in save()."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.text import slugify

from . import nik as nik_module
from .models import IKMUnit


def unique_slug(
    model: type[Model], text: str, *, exclude_pk: Any = None, max_length: int = 200
) -> str:
    """A slug for ``text`` not yet used by ``model`` (``nama``, ``nama-2``, ``nama-3`` …)."""
    base = slugify(text)[:max_length].strip("-") or "item"
    taken = set(
        model.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def unit_set_nik(unit: IKMUnit, raw_nik: str | None) -> None:
    """Seal a NIK onto the unit (not saved). Empty clears it; a bad NIK raises ValidationError."""
    if not raw_nik:
        unit.nik_ciphertext = unit.nik_digest = unit.nik_last4 = ""
        return
    sealed = nik_module.seal(raw_nik)
    unit.nik_ciphertext, unit.nik_digest, unit.nik_last4 = (
        sealed.ciphertext,
        sealed.digest,
        sealed.last4,
    )


@transaction.atomic
def unit_create(*, nik: str | None = None, **fields: Any) -> IKMUnit:
    unit = IKMUnit(**fields)
    if not unit.slug:
        unit.slug = unique_slug(IKMUnit, unit.name)
    unit_set_nik(unit, nik)
    unit.full_clean(exclude=["slug"] if fields.get("slug") is None else None)
    unit.save()
    return unit


@transaction.atomic
def unit_verify(*, unit_id: int, official) -> IKMUnit:
    unit = IKMUnit.objects.select_for_update().get(pk=unit_id)
    if not unit.verified:
        unit.verified, unit.verified_at, unit.verified_by = True, timezone.now(), official
        unit.save(update_fields=["verified", "verified_at", "verified_by", "updated_at"])
    return unit
