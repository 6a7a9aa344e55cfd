"""Password rules that know the account: 12 characters for officials (staff), 10 for owners; and
the common-password check extended by an Indonesian list (``accounts/data/``)."""

from __future__ import annotations

import re
from pathlib import Path

from django.contrib.auth import password_validation
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

INDONESIAN_LIST = Path(__file__).resolve().parent / "data" / "common-passwords-id.txt"


def is_staff_account(user) -> bool:
    return bool(user is not None and (getattr(user, "is_staff", False) or user.is_superuser))


class RoleMinimumLengthValidator:
    """At least ``staff_length`` characters for staff accounts, ``owner_length`` for others."""

    def __init__(self, staff_length: int = 12, owner_length: int = 10):
        self.staff_length = staff_length
        self.owner_length = owner_length

    def _minimum(self, user) -> int:
        return self.staff_length if is_staff_account(user) else self.owner_length

    def validate(self, password: str, user=None) -> None:
        minimum = self._minimum(user)
        if len(password) < minimum:
            raise ValidationError(
                ngettext(
                    "Kata sandi terlalu pendek: paling sedikit %(min_length)d karakter.",
                    "Kata sandi terlalu pendek: paling sedikit %(min_length)d karakter.",
                    minimum,
                ),
                code="password_too_short",
                params={"min_length": minimum},
            )

    def get_help_text(self) -> str:
        return _("Paling sedikit %(owner)d karakter (akun pejabat: %(staff)d karakter).") % {
            "owner": self.owner_length,
            "staff": self.staff_length,
        }


# "bismillah123", "Pontianak2026!", "sayangku_99": a listed word with digits or symbols around it.
_DECORATION = re.compile(r"^[\W\d_]+|[\W\d_]+$")


class IndonesianCommonPasswordValidator(CommonPasswordValidator):
    """Refuses passwords from the Indonesian list (words and whole passwords seen in leaks), also
    when the listed word is only dressed up with digits or symbols before or after it."""

    def __init__(self, password_list_path: str | Path = INDONESIAN_LIST):
        super().__init__(password_list_path=password_list_path)

    def validate(self, password: str, user=None) -> None:
        lowered = password.lower().strip()
        core = _DECORATION.sub("", lowered)
        if lowered in self.passwords or (len(core) >= 4 and core in self.passwords):
            raise ValidationError(
                _("Kata sandi ini terlalu umum dan mudah ditebak. Pilih yang lain."),
                code="password_too_common",
            )

    def get_help_text(self) -> str:
        return _("Bukan kata sandi yang umum dipakai (termasuk daftar umum Indonesia).")


# Django's own checks, with help texts that say "kata sandi" and "Anda" as the rest of the site
# does (Django's Indonesian catalogue mixes "sandi"/"kata sandi" and "anda"/"Anda", issue 14).
class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    def get_help_text(self) -> str:
        return _("Kata sandi Anda tidak boleh mirip dengan nama atau email Anda.")


class GlobalCommonPasswordValidator(CommonPasswordValidator):
    def get_help_text(self) -> str:
        return _("Bukan kata sandi dari daftar kata sandi yang umum dipakai di dunia.")


class NumericPasswordValidator(password_validation.NumericPasswordValidator):
    def get_help_text(self) -> str:
        return _("Kata sandi Anda tidak boleh hanya berisi angka.")
