"""Writes for facilitation requests: drafts with documents, and the reviewed life cycle.

The life cycle's table lives in ``certifications.workflow``: a verb asks it for the move (checked
there, once) and applies it with ONE generic ``move()``, which writes a ``StatusChange`` row. Each
verb is one service function: it locks the request (``select_for_update``), checks who may act
(the unit's owner, or an official whose scope holds the unit), moves, and mails the owner after
commit. A refused transition changes nothing.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ikm.models import IKMUnit
from ikm.selectors import units_in_scope
from products.models import Product

from . import notifications, workflow
from .formats import validate_number
from .models import (
    Certification,
    CertificationType,
    DocumentType,
    Request,
    RequestDocument,
    RequestKind,
    StatusChange,
)
from .uploads import REQUIRED_DOCUMENTS, CheckedDocument
from .workflow import Transition

S = Request.Status

# Which certificate a request of each kind leads to.
CERTIFICATION_TYPE_FOR_KIND = {
    RequestKind.HALAL_SELF_DECLARE: CertificationType.HALAL,
    RequestKind.HALAL_REGULAR: CertificationType.HALAL,
    RequestKind.MEREK: CertificationType.MEREK,
    RequestKind.OVOP: CertificationType.OVOP,
    RequestKind.SPP_IRT: CertificationType.SPP_IRT,
}


# --- who may act --------------------------------------------------------------------------------
def is_owner_of(user: AbstractBaseUser, unit: IKMUnit) -> bool:
    return bool(user and user.is_authenticated and unit.owner_id == user.pk)


def ensure_owner(user: AbstractBaseUser, req: Request) -> None:
    if not is_owner_of(user, req.unit):
        raise PermissionDenied(_("Hanya pemilik unit yang dapat melakukan ini."))


def can_review(user: AbstractBaseUser, req: Request) -> bool:
    return units_in_scope(user).filter(pk=req.unit_id).exists()


def ensure_can_review(user: AbstractBaseUser, req: Request) -> None:
    """An official whose scope (province, or the unit's kab/kota) holds the request's unit."""
    if not can_review(user, req):
        raise PermissionDenied(_("Permohonan ini di luar wilayah kewenangan Anda."))


# --- the generic move ---------------------------------------------------------------------------
def move(req: Request, step: Transition, *, actor: AbstractBaseUser, note: str = "") -> None:
    """Apply a checked move: set the status and write one StatusChange row. Caller holds the lock.

    ``step`` comes from :func:`certifications.workflow.transition`, which checked the table."""
    now = timezone.now()
    req.status = step.to
    fields = ["status", "updated_at"]
    if step.to in workflow.SUBMITTED_STATUSES:
        req.submitted_at = now
        fields.append("submitted_at")
    if workflow.is_decided(step.to):
        req.decided_at = now
        fields.append("decided_at")
    req.save(update_fields=fields)
    StatusChange.objects.create(
        request=req, from_status=step.frm, to_status=step.to, actor=actor, note=note, created_at=now
    )


def _lock(request_id: int) -> Request:
    return Request.objects.select_for_update().select_related("unit").get(pk=request_id)


def _notify_after_commit(req: Request) -> None:
    request_id = req.pk
    transaction.on_commit(lambda: notifications.notify_owner(request_id=request_id))


def missing_documents(req: Request) -> list[str]:
    have = set(req.documents.values_list("doc_type", flat=True))
    return [doc for doc in REQUIRED_DOCUMENTS[req.kind] if doc not in have]


def _ensure_complete(req: Request) -> None:
    missing = missing_documents(req)
    if missing:
        raise ValidationError(
            _("Dokumen wajib belum lengkap: %(docs)s."),
            code="missing_documents",
            params={"docs": ", ".join(str(DocumentType(d).label) for d in missing)},
        )


def _note_required(note: str, message) -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": message}, code="required")
    return note


# --- verbs: owner -------------------------------------------------------------------------------
@transaction.atomic
def request_submit(*, request_id: int, owner: AbstractBaseUser) -> Request:
    req = _lock(request_id)
    ensure_owner(owner, req)
    step = workflow.transition(req.status, S.SUBMITTED, workflow.OWNER)
    _ensure_complete(req)
    move(req, step, actor=owner)
    _notify_after_commit(req)
    return req


@transaction.atomic
def request_resubmit(*, request_id: int, owner: AbstractBaseUser, note: str = "") -> Request:
    req = _lock(request_id)
    ensure_owner(owner, req)
    step = workflow.transition(req.status, S.RESUBMITTED, workflow.OWNER)
    _ensure_complete(req)
    move(req, step, actor=owner, note=(note or "").strip())
    _notify_after_commit(req)
    return req


@transaction.atomic
def request_withdraw(*, request_id: int, owner: AbstractBaseUser, note: str = "") -> Request:
    req = _lock(request_id)
    ensure_owner(owner, req)
    step = workflow.transition(req.status, S.WITHDRAWN, workflow.OWNER)
    move(req, step, actor=owner, note=(note or "").strip())
    _notify_after_commit(req)
    return req


# --- verbs: official ----------------------------------------------------------------------------
@transaction.atomic
def request_start_review(*, request_id: int, official: AbstractBaseUser) -> Request:
    req = _lock(request_id)
    ensure_can_review(official, req)
    step = workflow.transition(req.status, S.IN_REVIEW, workflow.OFFICIAL)
    move(req, step, actor=official)
    _notify_after_commit(req)
    return req


@transaction.atomic
def request_return_for_revision(
    *, request_id: int, official: AbstractBaseUser, note: str
) -> Request:
    req = _lock(request_id)
    ensure_can_review(official, req)
    step = workflow.transition(req.status, S.RETURNED, workflow.OFFICIAL)
    note = _note_required(note, _("Tulis catatan perbaikan untuk pemilik."))
    move(req, step, actor=official, note=note)
    _notify_after_commit(req)
    return req


@transaction.atomic
def request_forward(*, request_id: int, official: AbstractBaseUser, note: str = "") -> Request:
    req = _lock(request_id)
    ensure_can_review(official, req)
    step = workflow.transition(req.status, S.FORWARDED, workflow.OFFICIAL)
    move(req, step, actor=official, note=(note or "").strip())
    _notify_after_commit(req)
    return req


@transaction.atomic
def request_reject(*, request_id: int, official: AbstractBaseUser, reason: str) -> Request:
    req = _lock(request_id)
    ensure_can_review(official, req)
    step = workflow.transition(req.status, S.REJECTED, workflow.OFFICIAL)
    reason = _note_required(reason, _("Tulis alasan penolakan."))
    move(req, step, actor=official, note=reason)
    _notify_after_commit(req)
    return req


@transaction.atomic
def request_issue(
    *,
    request_id: int,
    official: AbstractBaseUser,
    number: str,
    issuer: str,
    issued_on: datetime.date,
    valid_until: datetime.date | None = None,
    ovop_stars: int | None = None,
    ovop_year: int | None = None,
    note: str = "",
) -> Request:
    """Record the issuing agency's certificate: creates the Certification linked to the request."""
    req = _lock(request_id)
    ensure_can_review(official, req)
    step = workflow.transition(req.status, S.ISSUED, workflow.OFFICIAL)
    cert_type = CERTIFICATION_TYPE_FOR_KIND[req.kind]
    try:
        number = validate_number(cert_type, number)
    except ValidationError as exc:
        raise ValidationError({"number": exc.messages}) from exc
    errors: dict[str, list] = {}
    if not (issuer or "").strip():
        errors["issuer"] = [_("Isi nama lembaga penerbit.")]
    if valid_until and issued_on and valid_until < issued_on:
        errors["valid_until"] = [_("Tanggal berlaku sampai tidak boleh sebelum tanggal terbit.")]
    if cert_type == CertificationType.OVOP:
        if not ovop_stars or not 1 <= ovop_stars <= 5:
            errors["ovop_stars"] = [_("Isi bintang OVOP 1–5.")]
        if not ovop_year:
            errors["ovop_year"] = [_("Isi tahun penilaian OVOP.")]
    else:
        ovop_stars = ovop_year = None
    if Certification.objects.filter(type=cert_type, number=number).exists():
        errors["number"] = [
            _("Nomor %(number)s sudah terdaftar untuk sertifikat %(type)s lain.")
            % {"number": number, "type": CertificationType(cert_type).label}
        ]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            cert = Certification.objects.create(
                type=cert_type,
                number=number,
                issuer=issuer.strip(),
                issued_on=issued_on,
                valid_until=valid_until,
                ovop_stars=ovop_stars,
                ovop_year=ovop_year,
                unit=req.unit,
            )
    except IntegrityError as exc:  # a concurrent issuance took the number
        raise ValidationError(
            {"number": [_("Nomor ini sudah terdaftar untuk jenis sertifikat yang sama.")]}
        ) from exc
    cert.products.set(req.products.all())
    req.certification = cert
    req.save(update_fields=["certification", "updated_at"])
    move(req, step, actor=official, note=(note or "").strip())
    _notify_after_commit(req)
    return req


# --- drafts and documents (owner) -----------------------------------------------------------------
def _document_storage():
    """The storage request documents are written to (the "private" storage)."""
    return RequestDocument._meta.get_field("file").storage


@contextmanager
def _delete_files_on_error() -> Iterator[list[str]]:
    """Track names written to the private storage; remove them if the block fails."""
    written: list[str] = []
    try:
        yield written
    except BaseException:
        storage = _document_storage()
        for name in written:
            storage.delete(name)
        raise


def _save_document(
    req: Request, doc_type: str, checked: CheckedDocument, user, written: list[str]
) -> RequestDocument:
    doc = RequestDocument(
        request=req,
        doc_type=doc_type,
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=user,
    )
    checked.file.seek(0)
    doc.file.save(checked.storage_name(), checked.file, save=False)
    written.append(doc.file.name)
    doc.save()
    return doc


def _replace_documents(
    req: Request, documents: dict[str, CheckedDocument], user, written: list[str]
) -> list[str]:
    """Store new documents; a required type replaces the earlier file of that type."""
    old_names: list[str] = []
    for doc_type, checked in documents.items():
        if doc_type != DocumentType.OTHER:
            for old in req.documents.filter(doc_type=doc_type):
                old_names.append(old.file.name)
                old.delete()
        _save_document(req, doc_type, checked, user, written)
    return old_names


def _delete_after_commit(names: list[str]) -> None:
    if names:
        storage = _document_storage()
        transaction.on_commit(lambda: [storage.delete(n) for n in names])


def request_save_draft(
    *,
    owner: AbstractBaseUser,
    unit: IKMUnit,
    kind: str,
    client_token: uuid.UUID | None,
    products: Iterable[Product] = (),
    notes: str = "",
    documents: dict[str, CheckedDocument] | None = None,
) -> tuple[Request, bool]:
    """Create a draft request with its documents. Idempotent on ``client_token``.

    Returns (request, created). A second post of the same form finds the first request and
    changes nothing. A failure leaves no row and no file behind.
    """
    if not is_owner_of(owner, unit):
        raise PermissionDenied(_("Hanya pemilik unit yang dapat mengajukan permohonan."))
    if kind not in REQUIRED_DOCUMENTS:
        raise ValidationError({"kind": _("Jenis permohonan tidak dikenal.")})
    products = list(products)
    if any(p.unit_id != unit.pk for p in products):
        raise ValidationError({"products": _("Pilih produk milik unit ini saja.")})
    if client_token:
        existing = Request.objects.filter(client_token=client_token).first()
        if existing is not None:
            if existing.created_by_id != owner.pk:
                raise PermissionDenied
            return existing, False
    with _delete_files_on_error() as written, transaction.atomic():
        try:
            with transaction.atomic():
                req = Request.objects.create(
                    kind=kind,
                    unit=unit,
                    created_by=owner,
                    notes=notes.strip(),
                    client_token=client_token,
                )
        except IntegrityError:
            # The same form posted twice at once: the other post created it.
            existing = Request.objects.get(client_token=client_token)
            if existing.created_by_id != owner.pk:
                raise PermissionDenied from None
            return existing, False
        req.products.set(products)
        StatusChange.objects.create(
            request=req, from_status="", to_status=S.DRAFT, actor=owner, note=""
        )
        _replace_documents(req, documents or {}, owner, written)
    return req, True


def request_update_draft(
    *,
    request_id: int,
    owner: AbstractBaseUser,
    products: Iterable[Product] | None = None,
    notes: str | None = None,
    documents: dict[str, CheckedDocument] | None = None,
) -> Request:
    """Change notes, products or documents while the request is a draft or returned."""
    with _delete_files_on_error() as written, transaction.atomic():
        req = _lock(request_id)
        ensure_owner(owner, req)
        if not workflow.is_editable(req.status):
            raise ValidationError(
                _("Permohonan berstatus “%(status)s” tidak dapat diubah."),
                code="not_editable",
                params={"status": req.get_status_display()},
            )
        if products is not None:
            products = list(products)
            if any(p.unit_id != req.unit_id for p in products):
                raise ValidationError({"products": _("Pilih produk milik unit ini saja.")})
            req.products.set(products)
        if notes is not None:
            req.notes = notes.strip()
        old = _replace_documents(req, documents or {}, owner, written)
        # A new version for any change (products and documents too): a form opened before
        # this save is stale (optimistic concurrency, ``core.versioning``).
        req.save(update_fields=["notes", "updated_at"])
        _delete_after_commit(old)
    return req


@transaction.atomic
def document_delete(*, document_id: int, owner: AbstractBaseUser) -> None:
    doc = RequestDocument.objects.select_related("request__unit").get(pk=document_id)
    req = _lock(doc.request_id)
    ensure_owner(owner, req)
    if not workflow.is_editable(req.status):
        raise ValidationError(_("Dokumen permohonan yang sudah diajukan tidak dapat dihapus."))
    name = doc.file.name
    doc.delete()
    _delete_after_commit([name])
