"""Writes for IKM units. Views, admin, importers and commands call these; no logic in save()."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.text import slugify

from . import nik as nik_module
from .models import OWNER_EDITABLE_FIELDS, IKMUnit


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
    """Seal a NIK onto the unit (not saved). Empty clears it; a bad NIK raises ValidationError.

    Whoever sets the NIK this way (an official, an import) decides it: a pending NIK an owner
    gave (``owner_set_nik``) is dropped."""
    unit.nik_pending_ciphertext = unit.nik_pending_digest = unit.nik_pending_last4 = ""
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
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def unit_verify(*, unit_id: int, official) -> IKMUnit:
    unit = IKMUnit.objects.select_for_update().get(pk=unit_id)
    if not unit.verified:
        unit.verified, unit.verified_at, unit.verified_by = True, timezone.now(), official
        unit.save(update_fields=["verified", "verified_at", "verified_by", "updated_at"])
    return unit


# ================================================================================================
# Owner portal: owners register, claim and edit their own units; officials decide claims.
# ================================================================================================
# What identifies a unit: an owner's change to these needs an official's verification again.
REVERIFY_FIELDS = ("name", "owner_name", "nib", "desa")
# What an owner may set at all: ``OWNER_EDITABLE_FIELDS`` (ikm/models.py, beside IKMUnit).


@transaction.atomic
def unit_register(*, owner, nik: str | None = None, **fields: Any) -> IKMUnit:
    """An owner registers a new unit: theirs, unverified (off the public site) until checked."""
    unknown = set(fields) - set(OWNER_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"fields an owner may not set: {sorted(unknown)}")
    fields["nib"] = fields.get("nib") or None
    unit = IKMUnit(owner=owner, verified=False, **fields)
    unit.slug = unique_slug(IKMUnit, unit.name)
    owner_set_nik(unit, nik)
    _save_owner_unit(unit, old_nik=("", "", ""))
    return unit


def _nik_triple(unit: IKMUnit) -> tuple[str, str, str]:
    return unit.nik_ciphertext, unit.nik_digest, unit.nik_last4


def _set_pending(unit: IKMUnit, triple: tuple[str, str, str]) -> None:
    unit.nik_pending_ciphertext, unit.nik_pending_digest, unit.nik_pending_last4 = triple


def owner_set_nik(unit: IKMUnit, raw_nik: str | None) -> None:
    """An owner's NIK onto the unit (not saved). ``None`` keeps it, "" clears it.

    A NIK that another unit already holds is not refused (that would tell the owner whose NIK
    is registered, issue 13): it is kept sealed as *pending* (``nik_pending_*``), the unit's own
    NIK stays, and an official decides. The owner's page shows the pending NIK, masked, as it
    would show a stored one, and the unit needs verification again either way.
    """
    if raw_nik is None:
        return
    if not raw_nik:
        unit_set_nik(unit, "")
        _set_pending(unit, ("", "", ""))
        return
    sealed = nik_module.seal(raw_nik)
    if sealed.digest == unit.nik_digest:
        _set_pending(unit, ("", "", ""))
        return
    if IKMUnit.objects.filter(nik_digest=sealed.digest).exclude(pk=unit.pk).exists():
        _set_pending(unit, (sealed.ciphertext, sealed.digest, sealed.last4))
    else:
        unit.nik_ciphertext, unit.nik_digest, unit.nik_last4 = (
            sealed.ciphertext,
            sealed.digest,
            sealed.last4,
        )
        _set_pending(unit, ("", "", ""))


def _save_owner_unit(unit: IKMUnit, *, old_nik: tuple[str, str, str]) -> None:
    """Validate and save; a NIK another unit took since ``owner_set_nik`` looked becomes pending
    (the unique constraint ``ikmunit_unique_nik`` answered, not a 500)."""
    from django.db import IntegrityError

    unit.full_clean()
    try:
        with transaction.atomic():
            unit.save()
    except IntegrityError as exc:
        if "ikmunit_unique_nik" not in str(exc) or _nik_triple(unit) == old_nik:
            raise
        _set_pending(unit, _nik_triple(unit))
        unit.nik_ciphertext, unit.nik_digest, unit.nik_last4 = old_nik
        unit.save()


@transaction.atomic
def unit_update_by_owner(*, unit_id: int, owner, nik: str | None = None, **fields: Any) -> IKMUnit:
    """An owner edits their own unit. ``nik=None`` keeps the sealed NIK; "" clears it.

    A change to what identifies the unit (``REVERIFY_FIELDS`` or the NIK) takes a verified unit
    back to unverified, so it leaves the public site until an official checks it again.
    """
    from django.core.exceptions import PermissionDenied

    unit = IKMUnit.objects.select_for_update().get(pk=unit_id)
    if unit.owner_id != owner.pk:
        raise PermissionDenied
    unknown = set(fields) - set(OWNER_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"fields an owner may not set: {sorted(unknown)}")
    if "nib" in fields:
        fields["nib"] = fields["nib"] or None
    before = {name: getattr(unit, name) for name in REVERIFY_FIELDS}
    old_nik, old_pending = _nik_triple(unit), unit.nik_pending_digest
    for name, value in fields.items():
        setattr(unit, name, value)
    owner_set_nik(unit, nik)
    identity_changed = (
        unit.nik_digest != old_nik[1]
        or unit.nik_pending_digest != old_pending
        or any(getattr(unit, name) != value for name, value in before.items())
    )
    if unit.verified and identity_changed:
        unit.verified, unit.verified_at, unit.verified_by = False, None, None
    _save_owner_unit(unit, old_nik=old_nik)
    return unit


@transaction.atomic
def unit_claim(*, user, nib: str, note: str = ""):
    """Ask to manage the unit with this NIB; an official decides (``claim_decide``).

    The answer does not tell "no such unit" from "managed by another account" (issue 13): a unit
    with that NIB gets a pending claim whoever manages it (the official sees the other owner and
    decides), no unit gets nothing, and the claimant learns which by mail. Returns the claim, or
    None. Only the claimant's own unit is refused: that tells them nothing new.
    """
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from .models import UnitClaim
    from .notifications import notify_claim_received

    nib = (nib or "").strip()
    unit = IKMUnit.objects.filter(nib=nib).first()
    if unit is not None and unit.owner_id == user.pk:
        raise ValidationError({"nib": _("Unit ini sudah terhubung dengan akun Anda.")})
    claim = None
    if unit is not None:
        claim, _created = UnitClaim.objects.get_or_create(
            unit=unit,
            user=user,
            status=UnitClaim.Status.PENDING,
            defaults={"note": note.strip()},
        )
    unit_id = unit.pk if unit is not None else None
    transaction.on_commit(lambda: notify_claim_received(user_id=user.pk, nib=nib, unit_id=unit_id))
    return claim


@transaction.atomic
def claim_decide(*, claim_id: int, official, approve: bool, note: str = ""):
    """Approve (the claimant becomes the unit's owner) or reject a pending claim."""
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.utils.translation import gettext as _

    from .models import UnitClaim
    from .selectors import units_in_scope

    claim = UnitClaim.objects.select_for_update().select_related("unit").get(pk=claim_id)
    if not units_in_scope(official).filter(pk=claim.unit_id).exists():
        raise PermissionDenied(_("Klaim ini di luar wilayah kewenangan Anda."))
    if claim.status != UnitClaim.Status.PENDING:
        raise ValidationError(_("Klaim ini sudah diputuskan."))
    unit = IKMUnit.objects.select_for_update().get(pk=claim.unit_id)
    if approve:
        if unit.owner_id is not None and unit.owner_id != claim.user_id:
            raise ValidationError(_("Unit ini sudah dikelola akun lain."))
        unit.owner = claim.user
        unit.save(update_fields=["owner", "updated_at"])
    claim.status = UnitClaim.Status.APPROVED if approve else UnitClaim.Status.REJECTED
    claim.note = (note or claim.note).strip()
    claim.decided_by, claim.decided_at = official, timezone.now()
    claim.save(update_fields=["status", "note", "decided_by", "decided_at"])
    from .notifications import notify_claim_decided

    transaction.on_commit(lambda: notify_claim_decided(claim_id=claim.pk))
    return claim


# ================================================================================================
# Back-office: officials' roles and curation actions called by the admin.
# ================================================================================================
def ensure_unit_in_scope(official, unit_id: int) -> None:
    from django.core.exceptions import PermissionDenied

    from .selectors import units_in_scope

    if not units_in_scope(official).filter(pk=unit_id).exists():
        raise PermissionDenied("unit out of scope")


@transaction.atomic
def units_verify(*, unit_ids, official) -> int:
    """Verify several units (each through ``unit_verify``); returns how many were newly verified."""
    verified = 0
    for unit_id in unit_ids:
        ensure_unit_in_scope(official, unit_id)
        was = IKMUnit.objects.filter(pk=unit_id, verified=True).exists()
        unit_verify(unit_id=unit_id, official=official)
        verified += 0 if was else 1
    return verified


@transaction.atomic
def official_assign(*, user, kabupaten_id: str | None = None, position: str = ""):
    """Make ``user`` an official (province-wide when ``kabupaten_id`` is None, else one kab/kota).

    Sets ``is_staff`` and puts the account in exactly one role group. ``ikm.view_nik`` is not
    touched: it is granted deliberately, person by person.
    """
    import re

    from django.contrib.auth.models import Group
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from .models import Official
    from .roles import KABUPATEN_GROUP, PROVINCE_GROUP, ensure_role_groups, role_group_name

    if kabupaten_id is not None and not re.fullmatch(r"[0-9]{2}\.[0-9]{2}", kabupaten_id):
        raise ValidationError(
            {"kabupaten": _("Pilih kabupaten/kota (kosongkan untuk pejabat provinsi).")}
        )
    official = Official.objects.filter(user=user).first() or Official(user=user)
    official.kabupaten_id, official.position = kabupaten_id, position
    official.full_clean()
    official.save()
    if not Group.objects.filter(name__in=(PROVINCE_GROUP, KABUPATEN_GROUP)).count() == 2:
        ensure_role_groups()
    role = Group.objects.get(name=role_group_name(kabupaten_id))
    user.groups.remove(*Group.objects.filter(name__in=(PROVINCE_GROUP, KABUPATEN_GROUP)))
    user.groups.add(role)
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return official
