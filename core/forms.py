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
