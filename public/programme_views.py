"""Public pages of the Dinas's programmes (issue 16): curation rounds and their results, and
the buyers' business-matching form."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.network import client_ip
from core.forms import apply_service_errors
from core.ratelimit import within_limit
from curation.models import Round, Submission
from matching import services as matching_services
from public.programme_forms import BuyerRequestForm, form_stamp

PUBLIC_ROUND_STATUSES = (Round.Status.OPEN, Round.Status.SCORING, Round.Status.PUBLISHED)


def curation_index(request: HttpRequest) -> HttpResponse:
    rounds = (
        Round.objects.filter(status__in=PUBLIC_ROUND_STATUSES)
        .select_related("kabupaten")
        .order_by("-submission_deadline", "-id")
    )
    return render(
        request,
        "public/curation/index.html",
        {"rounds": rounds, "crumbs": [(_("Kurasi produk"), None)]},
    )


def curation_round(request: HttpRequest, slug: str) -> HttpResponse:
    round_ = get_object_or_404(
        Round.objects.select_related("kabupaten"), slug=slug, status__in=PUBLIC_ROUND_STATUSES
    )
    chosen = []
    if round_.status == Round.Status.PUBLISHED:
        chosen = list(
            Submission.objects.filter(
                round=round_,
                status=Submission.Status.CHOSEN,
                product__is_published=True,
                product__unit__verified=True,
            )
            .select_related("product", "unit")
            .order_by("-final_score", "product__name")
        )
    return render(
        request,
        "public/curation/round.html",
        {
            "round": round_,
            "criteria": round_.criteria.all(),
            "chosen": chosen,
            "submitted": round_.submissions.exclude(status=Submission.Status.WITHDRAWN).count(),
            "crumbs": [
                (_("Kurasi produk"), reverse("public:curation_index")),
                (round_.title, None),
            ],
        },
    )


def matching_request(request: HttpRequest) -> HttpResponse:
    """A buyer asks for a product; officials route the request to matching IKM units."""
    form = BuyerRequestForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            contact = data.get("buyer_email") or data.get("buyer_phone")
            if not within_limit("matching_request", account=contact, ip=client_ip(request)):
                form.add_error(
                    None,
                    _(
                        "Terlalu banyak permintaan dari alamat atau kontak ini. "
                        "Coba lagi dalam satu jam, atau hubungi Disperindag langsung."
                    ),
                )
            else:
                try:
                    req = matching_services.request_create(
                        product_wanted=data["product_wanted"],
                        quantity=data["quantity"],
                        kabupaten_id=data.get("kabupaten") or None,
                        buyer_name=data["buyer_name"],
                        buyer_organisation=data.get("buyer_organisation", ""),
                        buyer_phone=data.get("buyer_phone", ""),
                        buyer_email=data.get("buyer_email", ""),
                        message=data.get("message", ""),
                    )
                except ValidationError as exc:
                    apply_service_errors(form, exc)
                else:
                    request.session["matching_ref"] = req.reference
                    messages.success(request, _("Permintaan Anda terkirim."))
                    return redirect("public:matching_sent")
        if form.has_error("__all__", "stamp") or form.has_error("__all__", "too_old"):
            form.data = form.data.copy()
            form.data["stamp"] = form_stamp()
    return render(
        request,
        "public/matching/request.html",
        {"form": form, "crumbs": [(_("Temu bisnis"), None)]},
    )


def matching_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "public/matching/sent.html",
        {
            "reference": request.session.get("matching_ref", ""),
            "crumbs": [
                (_("Temu bisnis"), reverse("public:matching_request")),
                (_("Terkirim"), None),
            ],
        },
    )
