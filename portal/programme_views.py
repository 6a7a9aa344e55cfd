"""Owner portal pages of the Dinas's programmes (issue 16): curation rounds (submit a product,
withdraw, see the result and a prefilled facilitation prompt for missing certificates) and the
buyers' requests the Dinas routed to the owner's units (answer: interested + offer, or decline)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from certifications.models import RequestKind
from core.forms import apply_service_errors
from curation import services as curation_services
from curation import workflow as curation_workflow
from curation.models import Round, Submission
from ikm.models import IKMUnit
from matching import services as matching_services
from matching.models import Routing
from products.models import Product


class SubmissionForm(forms.Form):
    product = forms.ModelChoiceField(
        label=gettext_lazy("Produk yang diajukan"),
        queryset=Product.objects.none(),
        error_messages={
            "required": gettext_lazy("Pilih produk yang diajukan."),
            "invalid_choice": gettext_lazy(
                "Produk ini tidak dapat diajukan: sudah diajukan ke putaran ini, atau unitnya "
                "belum terverifikasi atau di luar wilayah kurasi."
            ),
        },
    )
    note = forms.CharField(
        label=gettext_lazy("Keterangan untuk kurator (bila ada)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, round_: Round, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round_
        products = Product.objects.filter(unit__owner=owner, unit__verified=True)
        if round_.kabupaten_id:
            products = products.filter(unit__kabupaten_code=round_.kabupaten_id)
        self.fields["product"].queryset = products.exclude(
            curation_submissions__round=round_
        ).order_by("name")
        self.fields["product"].widget.attrs["id"] = f"id_product_{round_.pk}"


class AnswerForm(forms.Form):
    interested = forms.TypedChoiceField(
        label=gettext_lazy("Jawaban"),
        choices=(("1", gettext_lazy("Berminat")), ("0", gettext_lazy("Tidak berminat"))),
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Pilih berminat atau tidak berminat.")},
    )
    offer = forms.CharField(
        label=gettext_lazy("Penawaran (harga, jumlah yang sanggup, waktu kirim)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _facilitation_links(product: Product) -> list[dict]:
    base = "portal:request_create"
    return [
        {
            "kind": kind,
            "label": RequestKind(kind).label,
            "url": reverse(base, kwargs={"kind": kind}) + f"?produk={product.pk}",
        }
        for kind in curation_services.missing_certificates(product)
    ]


def _curation_context(request: HttpRequest, bound: dict | None = None) -> dict:
    units = IKMUnit.objects.filter(owner=request.user)
    rounds = (
        Round.objects.filter(status=Round.Status.OPEN, submission_deadline__gt=timezone.now())
        .filter(Q(kabupaten__isnull=True) | Q(kabupaten_id__in=units.values("kabupaten_code")))
        .select_related("kabupaten")
        .prefetch_related("criteria")
    )
    open_rounds = []
    for round_ in rounds:
        form = (bound or {}).get(round_.pk) or SubmissionForm(round_=round_, owner=request.user)
        open_rounds.append({"round": round_, "form": form})
    submissions = []
    for sub in (
        Submission.objects.filter(unit__owner=request.user)
        .select_related("round", "product", "unit")
        .order_by("-created_at")
    ):
        submissions.append(
            {
                "sub": sub,
                "text": curation_workflow.owner_text(sub.status),
                "can_withdraw": sub.status == Submission.Status.SUBMITTED
                and sub.round.status == Round.Status.OPEN,
                "facilitation": (
                    _facilitation_links(sub.product)
                    if sub.status != Submission.Status.WITHDRAWN
                    else []
                ),
            }
        )
    return {"open_rounds": open_rounds, "submissions": submissions, "has_unit": units.exists()}


@login_required
def curation_rounds(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/curation.html", _curation_context(request))


@login_required
@require_POST
def curation_submit(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(Round, pk=pk)
    form = SubmissionForm(request.POST, round_=round_, owner=request.user)
    if form.is_valid():
        try:
            sub = curation_services.submission_create(
                owner=request.user,
                round_id=round_.pk,
                product_id=form.cleaned_data["product"].pk,
                note=form.cleaned_data["note"],
            )
        except (ValidationError, PermissionDenied) as exc:
            if isinstance(exc, PermissionDenied):
                form.add_error(None, str(exc))
            else:
                apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Produk “%(product)s” diajukan ke %(round)s (%(ref)s).")
                % {"product": sub.product.name, "round": round_.title, "ref": sub.reference},
            )
            return redirect("portal:curation_rounds")
    context = _curation_context(request, bound={round_.pk: form})
    return render(request, "portal/curation.html", context, status=200)


@login_required
@require_POST
def curation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    sub = get_object_or_404(Submission, pk=pk, unit__owner=request.user)
    try:
        curation_services.submission_withdraw(submission_id=sub.pk, owner=request.user)
    except ValidationError as exc:
        for msg in exc.messages:
            messages.error(request, msg)
    else:
        messages.success(request, _("Pengajuan %(ref)s ditarik.") % {"ref": sub.reference})
    return redirect("portal:curation_rounds")


@login_required
def matching_list(request: HttpRequest) -> HttpResponse:
    routings = matching_services.routings_for_owner(request.user)
    rows = [{"routing": r, "form": AnswerForm(prefix=f"r{r.pk}")} for r in routings]
    return render(request, "portal/matching.html", {"rows": rows})


@login_required
@require_POST
def matching_answer(request: HttpRequest, pk: int) -> HttpResponse:
    routing = get_object_or_404(Routing, pk=pk, unit__owner=request.user)
    form = AnswerForm(request.POST, prefix=f"r{routing.pk}")
    if form.is_valid():
        try:
            matching_services.routing_answer(
                routing_id=routing.pk,
                owner=request.user,
                interested=form.cleaned_data["interested"],
                offer=form.cleaned_data["offer"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Jawaban untuk %(ref)s terkirim ke petugas Dinas.")
                % {"ref": routing.request.reference},
            )
            return redirect("portal:matching_list")
    rows = [
        {"routing": r, "form": form if r.pk == routing.pk else AnswerForm(prefix=f"r{r.pk}")}
        for r in matching_services.routings_for_owner(request.user)
    ]
    return render(request, "portal/matching.html", {"rows": rows})
