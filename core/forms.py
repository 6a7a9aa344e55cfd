"""Form helpers shared by every surface: model-constraint and service errors on the right field."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class ConstraintErrorsMixin:
    """Moves model-constraint errors (CheckConstraint/UniqueConstraint) onto the form field.

    ``constraint_errors`` maps a constraint name to ``(field, message)``; a message of None
    keeps the constraint's own ``violation_error_message``. ``ModelForm.full_clean`` runs
    ``Model.validate_constraints`` (Django 5.x), which puts these under NON_FIELD_ERRORS.
    """

    constraint_errors: dict[str, tuple[str, object]] = {}

    def _update_errors(self, errors):
        model = self._meta.model
        if hasattr(errors, "error_dict") and NON_FIELD_ERRORS in errors.error_dict:
            by_message = {
                str(c.get_violation_error_message()): c.name
                for c in model._meta.constraints
                if c.name in self.constraint_errors
            }
            kept = []
            for error in errors.error_dict[NON_FIELD_ERRORS]:
                for message in error.messages:
                    name = by_message.get(str(message))
                    field, replacement = self.constraint_errors.get(name, (None, None))
                    if field and field in self.fields:
                        errors.error_dict.setdefault(field, []).append(
                            ValidationError(replacement or message, code="constraint")
                        )
                    else:
                        kept.append(ValidationError(message, code=error.code))
            if kept:
                errors.error_dict[NON_FIELD_ERRORS] = kept
            else:
                del errors.error_dict[NON_FIELD_ERRORS]
        return super()._update_errors(errors)


class ConstraintModelForm(ConstraintErrorsMixin, forms.ModelForm):
    pass


def apply_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """A service's ValidationError on ``form``: on its field when the form has it, else on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def form_error_lines(form: forms.Form) -> list[str]:
    """One line per field in error, "<label>: <messages>", for a notice above the results."""
    return [
        f"{form.fields[name].label}: {' '.join(messages)}" for name, messages in form.errors.items()
    ]


# --- optimistic concurrency -------------------------------------------------------------------
class VersionField(forms.CharField):
    """The hidden version token (``core.versioning``); never counts as a change of the form."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "")
        super().__init__(**kwargs)

    def has_changed(self, initial, data):
        return False


class VersionedFormMixin:
    """Carries the version of ``self.instance`` the form was opened on and refuses stale saves.

    Put it before the form class. The check runs after cleaning, re-reading the row with
    ``SELECT … FOR UPDATE``: the caller must validate inside the transaction that also saves
    (the admin's change view is one; portal views wrap ``is_valid()`` and the service call in
    ``transaction.atomic()``), so the lock holds until the save is committed.

    On a conflict the form gets errors (nothing is saved) naming who changed which field since,
    the values others changed that the user left alone are taken into the re-shown form, a field
    both changed is marked on the field with the other value, and the hidden version moves to
    the current one: saving the re-shown form again is a deliberate decision. A POST without the
    version (a script, a page from before this check) is not checked.
    """

    version_hidden_fields: tuple[str, ...] = ()  # never listed in a conflict (secrets)
    version_exclude: tuple[str, ...] = ()  # left out of a hash version (e.g. last_login)
    version_viewer = None  # the user saving: their own earlier saves read "Anda"
    version_hide_staff_names = False  # owners see "Petugas Dinas", not an official's account
    version_from_db = False  # take the version from the saved row, not from ``instance``

    def __init__(self, *args, **kwargs):
        from core.versioning import VERSION_FIELD, row_version

        super().__init__(*args, **kwargs)
        self.version_conflict = None
        if VERSION_FIELD not in self.fields:
            self.fields[VERSION_FIELD] = VersionField()
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk is not None:
            if self.version_from_db:  # the instance is not the saved row (a revert form)
                saved = type(instance)._default_manager.filter(pk=instance.pk).first()
                instance = saved if saved is not None else instance
            self.initial[VERSION_FIELD] = row_version(instance, self.version_exclude)

    def version_who(self, user) -> str:
        from django.utils.translation import gettext as _

        from core.versioning import default_who

        viewer = self.version_viewer
        if user is not None and viewer is not None and user.pk == viewer.pk:
            return _("Anda sendiri (di halaman lain)")
        if self.version_hide_staff_names and user is not None:
            return _("Petugas Dinas") if user.is_staff else _("pengguna lain")
        return default_who(user)

    def _post_clean(self):
        super()._post_clean()
        self.check_version()

    def check_version(self) -> None:
        from django.db import transaction

        from core.versioning import VERSION_FIELD

        instance = getattr(self, "instance", None)
        if not self.is_bound or instance is None or instance.pk is None:
            return
        seen = self.data.get(self.add_prefix(VERSION_FIELD)) or ""
        if not seen:
            return
        using = instance._state.db or "default"
        if not transaction.get_connection(using).in_atomic_block:
            # The caller should validate inside its saving transaction (then the lock holds
            # until the save); outside one, the check still runs, in its own transaction.
            with transaction.atomic(using=using):
                self._check_version_locked(instance, seen)
            return
        self._check_version_locked(instance, seen)

    def _check_version_locked(self, instance, seen: str) -> None:
        from django.utils.translation import gettext as _

        from core.versioning import lock_row, row_version, same_version

        current_obj = lock_row(type(instance), instance.pk)
        if current_obj is None:
            self.add_error(None, _("Data ini sudah dihapus orang lain. Isian Anda tidak disimpan."))
            return
        if same_version(row_version(current_obj, self.version_exclude), seen):
            return
        self._report_conflict(current_obj, seen)

    # -- a conflict --------------------------------------------------------------------------
    def _report_conflict(self, current_obj, seen: str) -> None:
        from django.utils import timezone
        from django.utils.formats import date_format
        from django.utils.translation import gettext as _

        from core.versioning import VERSION_FIELD, changes_since

        conflict = changes_since(
            current_obj,
            seen,
            hidden=self.version_hidden_fields,
            who=self.version_who,
            exclude_version=self.version_exclude,
        )
        self.version_conflict = conflict
        lines = [
            _("Data ini sudah diubah orang lain sejak Anda membukanya; isian Anda belum disimpan.")
        ]
        for changeset in conflict.changesets:
            when = (
                date_format(timezone.localtime(changeset.when), "DATETIME_FORMAT")
                if changeset.when
                else ""
            )
            for change in changeset.changes:
                lines.append(
                    _("%(when)s — %(who)s mengubah %(field)s: “%(old)s” → “%(new)s”.")
                    % {
                        "when": when,
                        "who": changeset.who,
                        "field": change.label,
                        "old": change.old,
                        "new": change.new,
                    }
                )
        lines.extend(self.version_extra_lines(current_obj, seen))
        merged, both = self._merge(current_obj, conflict)
        if not conflict.changesets:
            differing = self._differing_fields(current_obj)
            if differing:
                lines.append(
                    _("Nilai tersimpan sekarang yang berbeda dari isian Anda: %(fields)s.")
                    % {"fields": "; ".join(differing)}
                )
        if merged:
            lines.append(
                _(
                    "Perubahan orang lain pada %(fields)s sudah dimasukkan ke formulir di bawah "
                    "karena Anda tidak mengubahnya."
                )
                % {"fields": ", ".join(merged)}
            )
        if both:
            lines.append(
                _("Anda dan orang lain sama-sama mengubah %(fields)s: lihat tanda pada kolomnya.")
                % {"fields": ", ".join(both)}
            )
        lines.append(_("Periksa formulir, lalu simpan lagi bila isiannya sudah benar."))
        for line in lines:
            self.add_error(None, line)
        self._set_data(VERSION_FIELD, conflict.current_version)

    def version_extra_lines(self, current_obj, seen: str) -> list[str]:
        """More lines for the conflict notice (the admin adds its change log)."""
        return []

    def _model_field(self, name):
        model = type(self.instance)
        try:
            f = model._meta.get_field(name)
        except Exception:  # noqa: BLE001 - a form-only field (nik, kabupaten …)
            return None
        if not getattr(f, "concrete", False) or f.many_to_many:
            return None
        return f

    def _mine(self, name, f):
        value = self.cleaned_data.get(name)
        return getattr(value, "pk", value)

    @staticmethod
    def _norm(value):
        return None if value == "" else value

    def _merge(self, current_obj, conflict) -> tuple[list[str], list[str]]:
        from django.utils.translation import gettext as _

        from core.versioning import display_value, field_label

        model = type(current_obj)
        merged, both = [], []
        if conflict.seen_values is None:
            return merged, both
        for name in list(self.fields):
            f = self._model_field(name)
            if f is None or name not in conflict.changed_fields or self.fields[name].disabled:
                continue
            seen_value = conflict.seen_values.get(f.attname)
            current = getattr(current_obj, f.attname)
            label = field_label(model, name)
            if name in self.cleaned_data:
                mine = self._norm(self._mine(name, f))
                if mine == self._norm(seen_value):
                    self.merge_field_value(name, current)
                    merged.append(label)
                    continue
                if mine == self._norm(current):
                    continue
            both.append(label)
            self.add_error(
                name,
                _(
                    "Diubah juga oleh orang lain menjadi “%(value)s”. Isian Anda dipertahankan; "
                    "simpan lagi bila isian Anda yang benar."
                )
                % {"value": display_value(model, name, current)},
            )
        return merged, both

    def _differing_fields(self, current_obj) -> list[str]:
        from core.versioning import display_value, field_label

        model = type(current_obj)
        out = []
        for name in self.fields:
            f = self._model_field(name)
            if f is None or name not in self.cleaned_data or name in self.version_hidden_fields:
                continue
            current = getattr(current_obj, f.attname)
            if self._norm(self._mine(name, f)) != self._norm(current):
                out.append(f"{field_label(model, name)}: “{display_value(model, name, current)}”")
        return out

    def merge_field_value(self, name: str, value) -> None:
        """Show ``value`` (the saved value of model field ``name``) in the re-shown form."""
        self._set_data(name, value)

    def _set_data(self, name: str, value) -> None:
        if not getattr(self, "_version_data_copied", False):
            self.data = self.data.copy()  # (a QueryDict's copy is mutable)
            self._version_data_copied = True
        key = self.add_prefix(name)
        field = self.fields.get(name)
        if isinstance(getattr(field, "widget", None), forms.CheckboxInput):
            self.data[key] = "true" if value else "false"
            return
        prepared = field.prepare_value(value) if field is not None else value
        self.data[key] = "" if prepared is None else prepared


def versioned_form(form_class):
    """``form_class`` with the version field declared (admin fieldsets need a declared field)."""
    from core.versioning import VERSION_FIELD

    if issubclass(form_class, VersionedFormMixin) and VERSION_FIELD in form_class.base_fields:
        return form_class
    return type(
        form_class.__name__, (VersionedFormMixin, form_class), {VERSION_FIELD: VersionField()}
    )


def saving_transaction(request):
    """A transaction around a POST's validation and save (the version check's lock holds until
    the save commits); nothing for a GET."""
    import contextlib

    from django.db import transaction

    return transaction.atomic() if request.method == "POST" else contextlib.nullcontext()
