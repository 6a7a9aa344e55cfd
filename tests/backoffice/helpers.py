"""Turn a rendered admin change form into POST data (as a browser would submit it)."""

from __future__ import annotations

import datetime
from decimal import Decimal


def _post_value(field, value):
    from django import forms

    if isinstance(field, forms.BooleanField):
        return "on" if value else None
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [str(v.pk if hasattr(v, "pk") else v) for v in value]
    if hasattr(value, "pk"):
        return str(value.pk)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, Decimal | int):
        return str(value)
    return value


def _form_data(form, data):
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = _post_value(field, form[name].value())
        if value is not None:
            data[form.add_prefix(name)] = value


def change_form_data(response) -> dict:
    """POST data of the admin form in ``response`` (main form and every inline formset)."""
    context = response.context
    data: dict = {}
    _form_data(context["adminform"].form, data)
    for inline in context.get("inline_admin_formsets", []):
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[formset.management_form.add_prefix(name)] = value
        data[f"{formset.prefix}-TOTAL_FORMS"] = len(formset.initial_forms)
        for form in formset.initial_forms:
            _form_data(form, data)
    return data
