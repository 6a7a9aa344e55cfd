"""Text hygiene shared by every surface (model-free): control characters, invisible characters.

- Control characters (C0 except tab, line feed and carriage return; DEL; C1) are refused: a NUL
  cannot even be stored by PostgreSQL, and the others are never typed by a person.
- Bidi overrides/isolates (U+202A–U+202E, U+2066–U+2069) and zero-width characters (U+200B–U+200D,
  U+FEFF, U+2060) are stripped from names: they make "Batik ‮lanoisivorp" read differently from
  what it is, or two names look equal that are not.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
INVISIBLE_RE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u202a-\u202e\u2066-\u2069]")

# Descriptions, notes and other free text: at most this many characters.
LONG_TEXT_MAX = 5000


def has_control_characters(value: str) -> bool:
    return bool(CONTROL_RE.search(value))


def strip_invisible(value: str) -> str:
    """The text without bidi overrides/isolates and zero-width characters."""
    return INVISIBLE_RE.sub("", value)


def clean_name(value: str | None) -> str:
    """A name as stored: invisible characters stripped, spaces collapsed at the ends."""
    return strip_invisible(value or "").strip()


@deconstructible
class NoControlCharactersValidator:
    """Refuses control characters. ``nul=False`` leaves NUL to Django's own form-field check
    (``ProhibitNullCharactersValidator``), so a form does not say it twice."""

    message = _(
        "Teks ini berisi karakter kendali yang tidak diizinkan. Hapus karakter itu lalu kirim lagi."
    )
    code = "control_characters"

    def __init__(self, nul: bool = True):
        self.nul = nul

    def __call__(self, value) -> None:
        if isinstance(value, str) and has_control_characters(
            value if self.nul else value.replace("\x00", "")
        ):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, NoControlCharactersValidator) and other.nul == self.nul


no_control_characters = NoControlCharactersValidator()


# --- fields ---------------------------------------------------------------------------------
class NameFormField(forms.CharField):
    """A name as typed, without bidi overrides and zero-width characters (then stripped)."""

    def to_python(self, value):
        value = super().to_python(value)
        return clean_name(value) if isinstance(value, str) else value


class NameField(models.CharField):
    """A name (of a unit, a product, a person): invisible characters never reach the database.

    Cleaned in every way in: a form built on the model (``formfield``), ``Model.full_clean``
    (``to_python``) and every ``save()``/``bulk_create`` (``pre_save``), the spreadsheet import
    included.
    """

    def to_python(self, value):
        value = super().to_python(value)
        return clean_name(value) if isinstance(value, str) else value

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if isinstance(value, str):
            value = clean_name(value)
            setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": NameFormField, **kwargs})


def long_text_validators() -> list:
    """Validators of a free-text field (description, note): at most ``LONG_TEXT_MAX`` characters.

    A TextField's ``max_length`` only reaches its form field; the model needs the validator too.
    """
    return [MaxLengthValidator(LONG_TEXT_MAX)]


def install_control_character_validators() -> None:
    """Every text field refuses control characters, in forms and in ``Model.full_clean``.

    Called once at start-up (``sipi.apps.SipiConfig.ready``). The request middleware
    (``sipi.middleware.RejectControlCharactersMiddleware``) answers such a request with a 400
    before any form sees it; this is the same rule for what arrives another way (spreadsheet
    rows, services, commands) and for forms used without a request. Only validators in memory
    change, not the fields' deconstruction: no migration.
    """
    from django.apps import apps

    form_validator = NoControlCharactersValidator(nul=False)
    if form_validator not in forms.CharField.default_validators:
        forms.CharField.default_validators = [*forms.CharField.default_validators, form_validator]
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, (models.CharField, models.TextField)):
                if no_control_characters not in field.validators:
                    field.validators.append(no_control_characters)
