"""The owner portal's "Data saya": what the portal holds about the owner, its download
(JSON and PDF), and the owner's requests for correction or deletion (UU 27/2022, Pasal 5–13).
Services in ``ikm.privacy`` and ``certifications.privacy``; officials handle requests in the
back-office.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from certifications.privacy import export_personal_data
from core.forms import apply_service_errors
from ikm import privacy
from ikm.models import DataSubjectRequest
from portal.privacy_pdf import personal_data_pdf


class CorrectionForm(forms.Form):
    field = forms.ChoiceField(
        label=gettext_lazy("Data yang salah"),
        choices=[("", "—")] + list(DataSubjectRequest.Field.choices),
    )
    requested_value = forms.CharField(
        label=gettext_lazy("Seharusnya"),
        max_length=255,
        required=False,
        help_text=gettext_lazy("Jangan menulis NIK di sini: NIK diubah di formulir unit Anda."),
    )
    note = forms.CharField(
        label=gettext_lazy("Keterangan"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DeletionForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Kata sandi Anda"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "Saya mengerti: akun saya ditutup dan data pribadi saya dihapus; data usaha unit "
            "tetap disimpan Dinas untuk statistik tanpa nama saya."
        )
    )
    note = forms.CharField(
        label=gettext_lazy("Keterangan (tidak wajib)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("Kata sandi salah."))
        return password


def _page(request: HttpRequest, correction=None, deletion=None, status: int = 200):
    data = export_personal_data(request.user, whole_nik=False)
    open_deletion = DataSubjectRequest.objects.filter(
        user=request.user,
        kind=DataSubjectRequest.Kind.PENGHAPUSAN,
        status=DataSubjectRequest.Status.OPEN,
    ).first()
    return render(
        request,
        "portal/my_data.html",
        {
            "data": data,
            "requests": DataSubjectRequest.objects.filter(user=request.user).order_by(
                "-requested_at"
            )[:50],
            "correction_form": correction or CorrectionForm(),
            "deletion_form": deletion or DeletionForm(user=request.user),
            "open_deletion": open_deletion,
            "deadline_hours": int(
                privacy.DEADLINES[DataSubjectRequest.Kind.KOREKSI].total_seconds() // 3600
            ),
        },
        status=status,
    )


@never_cache
@login_required
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    return _page(request)


@never_cache
@login_required
@require_GET
def my_data_download(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("json", "pdf"):
        raise Http404
    data = export_personal_data(request.user, whole_nik=True)
    privacy.dsr_log_access(user=request.user, file_format=fmt)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "json":
        body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        response = HttpResponse(body.encode(), content_type="application/json; charset=utf-8")
    else:
        response = HttpResponse(personal_data_pdf(data), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="data-saya-{stamp}.{fmt}"'
    return response


@never_cache
@login_required
@require_http_methods(["POST"])
def correction_request(request: HttpRequest) -> HttpResponse:
    form = CorrectionForm(request.POST)
    if form.is_valid():
        try:
            dsr = privacy.dsr_create(
                user=request.user, kind=DataSubjectRequest.Kind.KOREKSI, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Permintaan perbaikan diterima. Dinas menanggapinya paling lambat %(deadline)s.")
                % {"deadline": timezone.localtime(dsr.deadline).strftime("%d-%m-%Y %H:%M")},
            )
            return redirect("portal:my_data")
    return _page(request, correction=form, status=400)


@never_cache
@sensitive_post_parameters("password")
@login_required
@require_http_methods(["POST"])
def deletion_request(request: HttpRequest) -> HttpResponse:
    form = DeletionForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            dsr = privacy.dsr_create(
                user=request.user,
                kind=DataSubjectRequest.Kind.PENGHAPUSAN,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Permintaan penghapusan diterima. Dinas memprosesnya paling lambat "
                    "%(deadline)s; sesudah itu akun Anda ditutup. Unduh salinan data Anda "
                    "sebelum waktu itu bila perlu."
                )
                % {"deadline": timezone.localtime(dsr.deadline).strftime("%d-%m-%Y %H:%M")},
            )
            return redirect("portal:my_data")
    return _page(request, deletion=form, status=400)
