"""Owner portal: facilitation requests (create per kind, edit, submit, withdraw, timeline) and
the permission-checking document download used by owners and officials alike."""

from __future__ import annotations

from csp.constants import SELF as CSP_SELF
from csp.decorators import csp_replace
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from accounts.mfa import mfa_required
from certifications import services, workflow
from certifications.models import Request, RequestDocument, RequestKind
from certifications.uploads import REQUIRED_DOCUMENTS
from core.forms import apply_service_errors, saving_transaction
from ikm.models import IKMUnit
from ikm.selectors import units_in_scope
from portal.request_forms import DOC_PREFIX, NoteForm, RequestForm
from products.models import Product

S = Request.Status


def own_requests(user):
    return Request.objects.filter(unit__owner=user).select_related("unit", "certification")


@login_required
def request_choose(request: HttpRequest) -> HttpResponse:
    has_unit = IKMUnit.objects.filter(owner=request.user).exists()
    kinds = [
        {"value": k.value, "label": k.label, "documents": REQUIRED_DOCUMENTS[k.value]}
        for k in RequestKind
    ]
    return render(request, "portal/request_choose.html", {"kinds": kinds, "has_unit": has_unit})


def _prefill(request: HttpRequest) -> dict:
    """``?produk=<pk>`` (e.g. from the curation prompt "ajukan fasilitasi"): that product of the
    owner is ticked and its unit chosen."""
    pk = request.GET.get("produk", "")
    if request.method != "GET" or not pk.isdigit():
        return {}
    product = (
        Product.objects.filter(pk=int(pk), unit__owner=request.user).select_related("unit").first()
    )
    return {"unit": product.unit, "products": [product]} if product else {}


@login_required
def request_create(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in RequestKind.values:
        raise Http404
    form = RequestForm(
        request.POST or None,
        request.FILES or None,
        kind=kind,
        owner=request.user,
        initial=_prefill(request),
    )
    if request.method == "POST" and (form.is_valid() or form.only_document_errors()):
        try:
            req, created = services.request_save_draft(
                owner=request.user,
                unit=form.cleaned_data["unit"],
                kind=kind,
                client_token=form.cleaned_data.get("client_token"),
                products=form.cleaned_data["products"],
                notes=form.cleaned_data["notes"],
                documents=form.checked_documents(),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if not created:
                messages.info(request, _("Formulir ini sudah tersimpan sebelumnya."))
                return redirect(req)
            if form.errors:  # a file failed: the good ones are on the draft, say which
                return _render_kept(request, req, form)
            if "submit" in request.POST:
                return _submit_and_redirect(request, req, saved=True)
            messages.success(
                request, _("Konsep permohonan %(ref)s disimpan.") % {"ref": req.reference}
            )
            return redirect(req)
    return render(
        request,
        "portal/request_form.html",
        {"form": form, "kind_label": RequestKind(kind).label, "req": None},
    )


def _flash_outcome(
    request: HttpRequest, service, success: str, failed_prefix: str = "", **kwargs
) -> None:
    """Call ``service``: one message, its ValidationError messages or else ``success``."""
    try:
        service(**kwargs)
    except ValidationError as exc:
        messages.error(request, " ".join([failed_prefix, *exc.messages]).strip())
    else:
        messages.success(request, success)


def _submit_and_redirect(request: HttpRequest, req: Request, saved: bool = False) -> HttpResponse:
    """Submit (or resubmit) and say so in one message; after a save, a refused submit says the
    draft was saved all the same."""
    verb = services.request_resubmit if req.status == S.RETURNED else services.request_submit
    _flash_outcome(
        request,
        verb,
        _("Permohonan %(ref)s diajukan ke Dinas.") % {"ref": req.reference},
        failed_prefix=(
            _("Konsep %(ref)s disimpan, tetapi belum diajukan:") % {"ref": req.reference}
            if saved
            else ""
        ),
        request_id=req.pk,
        owner=request.user,
    )
    return redirect(req)


def _render_kept(request: HttpRequest, req: Request, posted: RequestForm) -> HttpResponse:
    """Some files failed: the good ones (and the rest of the form) are on the draft now. Show
    the draft's form with the failed files marked beside their fields, and what was kept."""
    req.refresh_from_db()
    form = RequestForm(kind=req.kind, owner=request.user, instance=req)
    form.cleaned_data = {}  # (an unbound form takes errors too)
    for name, errors in posted.document_errors().items():
        form.add_error(name, errors)
    kept = [form[DOC_PREFIX + doc_type].label for doc_type in posted.checked_documents()]
    return render(
        request,
        "portal/request_form.html",
        {"form": form, "kind_label": req.get_kind_display(), "req": req, "kept": kept},
        status=200,
    )


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_object_or_404(own_requests(request.user).prefetch_related("products"), pk=pk)
    changes = req.status_changes.select_related("actor").order_by("created_at", "id")
    documents = req.documents.all()
    missing = services.missing_documents(req)
    last_note = None
    if req.status in (S.RETURNED, S.REJECTED):
        last_note = changes.filter(to_status=req.status).exclude(note="").last()
    return render(
        request,
        "portal/request_detail.html",
        {
            "req": req,
            "changes": changes,
            "documents": documents,
            "missing": missing,
            "next_step": workflow.next_step_text(req.status),
            "last_note": last_note,
            "editable": workflow.is_editable(req.status),
            "can_withdraw": workflow.owner_can_withdraw(req.status),
            "note_form": NoteForm(),
        },
    )


@login_required
def request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_object_or_404(own_requests(request.user), pk=pk)
    if not workflow.is_editable(req.status):
        messages.error(request, _("Permohonan ini tidak dapat diubah lagi."))
        return redirect(req)
    form = RequestForm(
        request.POST or None, request.FILES or None, kind=req.kind, owner=request.user, instance=req
    )
    form.version_viewer = request.user
    saved = False
    with saving_transaction(request):  # the version check's lock holds until the save
        if request.method == "POST" and (form.is_valid() or form.only_document_errors()):
            try:
                services.request_update_draft(
                    request_id=req.pk,
                    owner=request.user,
                    products=form.cleaned_data["products"],
                    notes=form.cleaned_data["notes"],
                    documents=form.checked_documents(),
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                saved = True
    if saved and form.errors:  # a file failed: the good ones are on the draft, say which
        return _render_kept(request, req, form)
    if saved:  # (submitting runs after the save is committed, as before)
        if "submit" in request.POST:
            return _submit_and_redirect(request, req, saved=True)
        messages.success(request, _("Perubahan %(ref)s disimpan.") % {"ref": req.reference})
        return redirect(req)
    return render(
        request,
        "portal/request_form.html",
        {"form": form, "kind_label": req.get_kind_display(), "req": req},
    )


@login_required
@require_POST
def request_submit(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_object_or_404(own_requests(request.user), pk=pk)
    return _submit_and_redirect(request, req)


@login_required
@require_POST
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_object_or_404(own_requests(request.user), pk=pk)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    _flash_outcome(
        request,
        services.request_withdraw,
        _("Permohonan dibatalkan."),
        request_id=req.pk,
        owner=request.user,
        note=note,
    )
    return redirect(req)


@login_required
@require_POST
def document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    doc = get_object_or_404(RequestDocument, pk=pk, request__unit__owner=request.user)
    _flash_outcome(
        request,
        services.document_delete,
        _("Dokumen dihapus."),
        document_id=doc.pk,
        owner=request.user,
    )
    return redirect("portal:request_detail", pk=doc.request_id)


def documents_visible_to(user):
    """Documents a user may open: of their own units' requests, or in an official's scope (an
    official's only after the second factor, as in the back-office)."""
    if mfa_required(user) and not (hasattr(user, "is_verified") and user.is_verified()):
        return RequestDocument.objects.filter(request__unit__owner=user)
    in_scope = units_in_scope(user).values("pk")
    return RequestDocument.objects.filter(
        Q(request__unit__owner=user) | Q(request__unit__in=in_scope)
    )


# Shown inline (``?tampil=1``: the back-office review page's preview) only for what a browser
# renders itself; uploads are checked by content (certifications/uploads.py), never by name.
INLINE_DOCUMENT_TYPES = ("application/pdf", "image/jpeg", "image/png")


@login_required
@xframe_options_sameorigin  # the review page frames its own PDFs; no other site may
@csp_replace({"frame-ancestors": [CSP_SELF]})  # the same, in the CSP (site-wide: 'none')
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    """Send a request document as an attachment; 404 for anyone but its owner or an official.

    ``?tampil=1`` sends a PDF or image inline instead, for the preview on the officials' review
    page (same checks; framing allowed from this site only).
    """
    doc = get_object_or_404(documents_visible_to(request.user), pk=pk)
    try:
        handle = doc.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    except PermissionDenied:  # pragma: no cover - storage refused
        raise Http404 from None
    inline = request.GET.get("tampil") == "1" and doc.content_type in INLINE_DOCUMENT_TYPES
    response = FileResponse(
        handle, as_attachment=not inline, filename=doc.original_name, content_type=doc.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
