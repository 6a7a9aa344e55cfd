"""Reads. Scope: what an official may see (the base of every back-office list and export)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from . import nik as nik_module
from .models import IKMUnit, Official, Region


def official_for(user: AbstractBaseUser | AnonymousUser | None) -> Official | None:
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.official  # type: ignore[union-attr]
    except Official.DoesNotExist:
        return None


def scope_kabupaten_code(user) -> str | None:
    """The kab/kota code a user is limited to; None means all of Kalbar (superuser, province).

    Raises PermissionError for a user with no back-office scope at all.
    """
    if user is not None and user.is_authenticated and user.is_superuser:
        return None
    official = official_for(user)
    if official is None:
        raise PermissionError("no back-office scope")
    return official.kabupaten_id


def has_backoffice_scope(user) -> bool:
    try:
        scope_kabupaten_code(user)
    except PermissionError:
        return False
    return True


def units_in_scope(user, queryset: QuerySet[IKMUnit] | None = None) -> QuerySet[IKMUnit]:
    """Units an official may see: all for superusers and province officials, else one kab/kota."""
    queryset = IKMUnit.objects.all() if queryset is None else queryset
    try:
        code = scope_kabupaten_code(user)
    except PermissionError:
        return queryset.none()
    return queryset if code is None else queryset.filter(kabupaten_code=code)


def identifier_taken(*, nib: str | None = None, nik: str | None = None, unit_pk=None) -> bool:
    """Whether a unit other than ``unit_pk`` already holds this NIB or NIK (give one, normalised).

    The one "already registered" check of the unit forms (portal and admin); the spreadsheet import
    asks it of a whole file at once instead (``IKMUnitResource.before_import``).
    """
    if (nib is None) == (nik is None):
        raise TypeError("identifier_taken() takes nib or nik")
    units = (
        IKMUnit.objects.filter(nib=nib)
        if nib is not None
        else IKMUnit.objects.filter(nik_digest=nik_module.digest(nik))
    )
    if unit_pk is not None:
        units = units.exclude(pk=unit_pk)
    return units.exists()


def filter_by_unit_scope(user, queryset: QuerySet, unit_path: str = "unit") -> QuerySet:
    """Scope any queryset whose rows belong to a unit (products, certifications, requests)."""
    try:
        code = scope_kabupaten_code(user)
    except PermissionError:
        return queryset.none()
    if code is None:
        return queryset
    return queryset.filter(**{f"{unit_path}__kabupaten_code": code})


def regions_in_scope(user, queryset: QuerySet[Region] | None = None) -> QuerySet[Region]:
    queryset = Region.objects.all() if queryset is None else queryset
    try:
        code = scope_kabupaten_code(user)
    except PermissionError:
        return queryset.none()
    if code is None:
        return queryset
    return queryset.filter(code__startswith=code)
