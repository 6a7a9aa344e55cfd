"""Owner portal forms for requests: one form per kind, with a file field per document it needs."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from certifications.models import DocumentType, Request
from certifications.uploads import (
    MAX_DOCUMENT_BYTES,
    OPTIONAL_DOCUMENTS,
    REQUIRED_DOCUMENTS,
    check_document,
)
from core.forms import VersionedFormMixin
from core.versioning import VERSION_FIELD
from ikm.models import IKMUnit
from portal.forms import NoSilentCutMixin
from products.models import Product

DOC_PREFIX = "doc_"
ACCEPT = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"


class RequestForm(NoSilentCutMixin, VersionedFormMixin, forms.Form):
    """Create (``instance=None``) or change a draft/returned request of one kind.

    A document field left empty keeps the file already uploaded; submitting checks that every
    required document is there (``services.request_submit``).
    """

    unit = forms.ModelChoiceField(label=_("Unit IKM"), queryset=IKMUnit.objects.none())
    products = forms.ModelMultipleChoiceField(
        label=_("Produk yang dimohonkan"),
        queryset=Product.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=_("Keterangan untuk petugas"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    client_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    version_hide_staff_names = True

    def __init__(self, *args, kind: str, owner, instance: Request | None = None, **kwargs):
        self.kind, self.owner, self.instance = kind, owner, instance  # (the version mixin reads it)
        super().__init__(*args, **kwargs)
        units = IKMUnit.objects.filter(owner=owner).order_by("name")
        self.fields["unit"].queryset = units
        self.fields["products"].queryset = (
            Product.objects.filter(unit__owner=owner).select_related("unit").order_by("name")
        )
        self.fields["products"].label_from_instance = lambda p: f"{p.name} ({p.unit.name})"
        self.fields["products"].help_text = _(
            "Produk yang dimohonkan sertifikatnya. Tambahkan produk lewat dasbor bila belum ada."
        )
        if instance is not None:
            del self.fields["unit"]
            del self.fields["client_token"]
            self.fields["products"].queryset = instance.unit.products.order_by("name")
            self.fields["products"].label_from_instance = lambda p: p.name
            self.initial.setdefault("products", list(instance.products.all()))
            self.initial.setdefault("notes", instance.notes)
        else:
            self.initial.setdefault("client_token", uuid.uuid4())
            if units.count() == 1:
                self.initial.setdefault("unit", units.first())
        have = set(instance.documents.values_list("doc_type", flat=True)) if instance else set()
        limit = MAX_DOCUMENT_BYTES // 1024 // 1024
        for doc_type in REQUIRED_DOCUMENTS[kind]:
            self.fields[DOC_PREFIX + doc_type] = forms.FileField(
                label=DocumentType(doc_type).label,
                required=False,
                help_text=(
                    _("Sudah diunggah; pilih berkas baru untuk menggantinya.")
                    if doc_type in have
                    else _("Wajib sebelum diajukan. PDF, JPEG atau PNG; paling besar %(mb)s MB.")
                    % {"mb": limit}
                ),
                widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
            )
        for doc_type in OPTIONAL_DOCUMENTS:
            self.fields[DOC_PREFIX + doc_type] = forms.FileField(
                label=_("%(label)s (tidak wajib)") % {"label": DocumentType(doc_type).label},
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
            )

    def document_fields(self):
        return [self[name] for name in self.fields if name.startswith(DOC_PREFIX)]

    def other_fields(self):
        return [
            self[name]
            for name in self.fields
            if not name.startswith(DOC_PREFIX) and name not in ("client_token", VERSION_FIELD)
        ]

    def full_clean(self):
        super().full_clean()
        if not self.is_bound:
            return
        for name in list(self.fields):
            if not name.startswith(DOC_PREFIX) or name in self._errors:
                continue
            upload = self.cleaned_data.get(name)
            if upload:
                try:
                    self.cleaned_data[name] = check_document(upload)
                except forms.ValidationError as exc:
                    self.add_error(name, exc)

    def clean(self):
        cleaned = super().clean()
        unit = cleaned.get("unit") or (self.instance.unit if self.instance else None)
        products = cleaned.get("products") or []
        if unit and any(p.unit_id != unit.pk for p in products):
            self.add_error("products", _("Pilih produk milik unit yang dipilih saja."))
        return cleaned

    def only_document_errors(self) -> bool:
        """Every error is on a document: the rest, and each good file, can still be saved."""
        return bool(self.errors) and all(name.startswith(DOC_PREFIX) for name in self.errors)

    def document_errors(self) -> dict:
        return {n: e for n, e in self.errors.as_data().items() if n.startswith(DOC_PREFIX)}

    def checked_documents(self) -> dict:
        return {
            name[len(DOC_PREFIX) :]: value
            for name, value in self.cleaned_data.items()
            if name.startswith(DOC_PREFIX) and value
        }


class NoteForm(NoSilentCutMixin, forms.Form):
    note = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
