"""Curation rounds in the back-office (issue 16): rounds with their criteria, the officials'
score sheets, choices (by hand or top-N with a threshold) and publishing.

Scoped by ``curation.services.rounds_in_scope`` (a kab/kota official: the rounds of that
kab/kota; province officials: all). Statuses are never edited as fields: buttons call the
services (``curation.services``), which check ``curation.workflow``.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from backoffice.mixins import ScopedAdminMixin
from certifications.models import RequestKind
from curation import services, workflow
from curation.models import Criterion, Round, Score, Submission, SubmissionChange
from ikm.models import Region
from ikm.selectors import regions_in_scope, scope_kabupaten_code

R = Round.Status
S = Submission.Status


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 3
    fields = ("name", "weight", "max_score", "position")

    def _editable(self, obj) -> bool:
        return obj is None or obj.status == R.DRAFT

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


class RoundForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = (
            "title",
            "slug",
            "description",
            "kabupaten",
            "submission_deadline",
            "period_start",
            "period_end",
        )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if "kabupaten" in self.fields:
            self.fields["kabupaten"].queryset = regions_in_scope(
                user,
                Region.objects.filter(
                    level__in=(Region.Level.KABUPATEN, Region.Level.KOTA), code__startswith="61."
                ),
            ).order_by("name")
            if scope_kabupaten_code(user) is not None:
                self.fields["kabupaten"].required = True
                self.fields["kabupaten"].help_text = _("Kurasi untuk wilayah kerja Anda.")

    def clean_kabupaten(self):
        kab = self.cleaned_data.get("kabupaten")
        try:
            services.ensure_can_create_round(self.user, kab.code if kab else None)
        except PermissionDenied as exc:
            raise ValidationError(str(exc)) from exc
        return kab

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Tanggal akhir tidak boleh sebelum tanggal mulai."))
        return data


class TopForm(forms.Form):
    top_n = forms.IntegerField(label=_("Pilih sebanyak"), min_value=0, max_value=1000)
    min_score = forms.DecimalField(
        label=_("Nilai akhir paling rendah"), required=False, min_value=0, max_value=100
    )


@admin.register(Round)
class RoundAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = RoundForm
    list_display = ("title", "scope", "status", "submission_deadline", "period", "n_submissions")
    list_filter = ("status",)
    search_fields = ("title",)
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("status", "published_at")
    inlines = (CriterionInline,)
    change_form_template = "admin/curation/round/change_form.html"

    def scope_queryset(self, request, queryset):
        return services.rounds_in_scope(request.user, queryset).select_related("kabupaten")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)

        class ScopedForm(form):
            def __init__(self, *args, **kw):
                kw.setdefault("user", request.user)
                super().__init__(*args, **kw)

        return ScopedForm

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != R.DRAFT:
            return (*RoundForm.Meta.fields, "status", "published_at")
        return self.readonly_fields

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None and obj.status != R.DRAFT else self.prepopulated_fields

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj._history_user = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("wilayah"))
    def scope(self, obj: Round) -> str:
        return obj.scope_label

    @admin.display(description=_("masa terseleksi"))
    def period(self, obj: Round) -> str:
        return f"{obj.period_start:%d-%m-%Y} – {obj.period_end:%d-%m-%Y}"

    @admin.display(description=_("pengajuan"))
    def n_submissions(self, obj: Round) -> int:
        return obj.submissions.exclude(status=S.WITHDRAWN).count()

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/tindakan/<slug:verb>/",
                self.admin_site.admin_view(self.verb_view),
                name="{}_{}_verb".format(*info),
            ),
            path(
                "<path:object_id>/pilih-teratas/",
                self.admin_site.admin_view(self.top_view),
                name="{}_{}_top".format(*info),
            ),
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)  # 404 outside the official's scope
        submissions = list(
            obj.submissions.select_related("product", "unit").order_by(
                "status", "-final_score", "id"
            )
        )
        extra_context = {
            **(extra_context or {}),
            "round": obj,
            "verbs": workflow.round_verbs(obj.status)
            if self.has_change_permission(request)
            else [],
            "submissions": submissions,
            "top_form": TopForm() if obj.status == R.SCORING else None,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def _change_url(self, obj) -> str:
        return reverse("admin:curation_round_change", args=[obj.pk])

    def verb_view(self, request: HttpRequest, object_id: str, verb: str) -> HttpResponse:
        if verb not in workflow.ROUND_VERBS:
            raise Http404
        if not self.has_change_permission(request):
            raise PermissionDenied
        obj = self.get_object(request, object_id)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        _label, target = workflow.ROUND_VERBS[verb]
        try:
            services.ROUND_SERVICES[target](round_id=obj.pk, official=request.user)
        except ValidationError as exc:
            for msg in exc.messages:
                self.message_user(request, msg, messages.ERROR)
        else:
            self.message_user(
                request,
                _("Putaran “%(title)s”: %(status)s.")
                % {"title": obj.title, "status": R(target).label},
                messages.SUCCESS,
            )
        return HttpResponseRedirect(self._change_url(obj))

    def top_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if not self.has_change_permission(request):
            raise PermissionDenied
        obj = self.get_object(request, object_id)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        form = TopForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for msg in errors:
                    self.message_user(request, msg, messages.ERROR)
            return HttpResponseRedirect(self._change_url(obj))
        try:
            chosen, not_chosen = services.round_choose_top(
                round_id=obj.pk,
                official=request.user,
                top_n=form.cleaned_data["top_n"],
                min_score=form.cleaned_data.get("min_score"),
            )
        except ValidationError as exc:
            for msg in exc.messages:
                self.message_user(request, msg, messages.ERROR)
        else:
            self.message_user(
                request,
                _("%(chosen)d pengajuan terpilih, %(other)d tidak terpilih.")
                % {"chosen": chosen, "other": not_chosen},
                messages.SUCCESS,
            )
        return HttpResponseRedirect(self._change_url(obj))


def score_form_class(criteria: list[Criterion]) -> type[forms.Form]:
    fields = {
        f"c{c.pk}": forms.IntegerField(
            label=c.name,
            min_value=0,
            max_value=c.max_score,
            help_text=_("bobot %(w)d, nilai 0–%(m)d") % {"w": c.weight, "m": c.max_score},
            error_messages={"required": _("Beri nilai untuk kriteria ini.")},
        )
        for c in criteria
    }
    return type("ScoreForm", (forms.Form,), fields)


@admin.register(Submission)
class SubmissionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("reference", "product", "unit", "round", "status", "final_score")
    list_display_links = ("reference",)
    # (no filter by round: its choices would list other regions' rounds; search by title instead)
    list_filter = ("status",)
    list_select_related = ("product", "unit", "round")
    search_fields = ("product__name", "unit__name", "round__title")
    fields = ("round", "product", "unit", "status", "note", "final_score", "created_at")
    readonly_fields = fields
    view_on_site = False

    def scope_queryset(self, request, queryset):
        return queryset.filter(round__in=services.rounds_in_scope(request.user))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("nomor"), ordering="pk")
    def reference(self, obj: Submission) -> str:
        return obj.reference

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The score sheet of this official, the other officials' totals, and the decision."""
        sub = self.get_object(request, object_id)  # 404 outside the official's scope
        if not self.has_view_or_change_permission(request, sub):
            raise PermissionDenied
        criteria = list(sub.round.criteria.all())
        form_class = score_form_class(criteria)
        mine = {
            f"c{s.criterion_id}": s.value
            for s in Score.objects.filter(submission=sub, official=request.user)
        }
        can_act = self.has_change_permission(request, sub)
        form = form_class(request.POST or None, initial=mine)
        change_url = reverse("admin:curation_submission_change", args=[sub.pk])
        if request.method == "POST":
            if not can_act:
                raise PermissionDenied
            action = request.POST.get("action", "score")
            try:
                if action == "score":
                    if form.is_valid():
                        services.score_record(
                            submission_id=sub.pk,
                            official=request.user,
                            values={c.pk: form.cleaned_data[f"c{c.pk}"] for c in criteria},
                        )
                        self.message_user(request, _("Nilai disimpan."), messages.SUCCESS)
                        return HttpResponseRedirect(change_url)
                elif action in ("choose", "reject"):
                    services.submission_decide(
                        submission_id=sub.pk,
                        official=request.user,
                        chosen=action == "choose",
                        note=request.POST.get("note", ""),
                    )
                    self.message_user(request, _("Keputusan disimpan."), messages.SUCCESS)
                    return HttpResponseRedirect(change_url)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.error_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    for msg in exc.messages:
                        self.message_user(request, msg, messages.ERROR)
                    return HttpResponseRedirect(change_url)
        sheets: dict[int, dict] = {}
        for score in Score.objects.filter(submission=sub).select_related("official"):
            sheet = sheets.setdefault(score.official_id, {"official": score.official, "values": {}})
            sheet["values"][score.criterion_id] = score.value
        rows = []
        for sheet in sheets.values():
            complete = all(c.pk in sheet["values"] for c in criteria)
            rows.append(
                {
                    "official": sheet["official"],
                    "values": [sheet["values"].get(c.pk, "—") for c in criteria],
                    "total": services.weighted_score(sheet["values"], criteria)
                    if complete
                    else None,
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Nilai %(ref)s: %(product)s")
            % {"ref": sub.reference, "product": sub.product},
            "sub": sub,
            "criteria": criteria,
            "form": form,
            "rows": rows,
            "can_act": can_act,
            "scoring": sub.round.status == R.SCORING,
            "can_choose": workflow.SUBMISSION_TRANSITIONS.get((sub.status, S.CHOSEN)),
            "can_reject": workflow.SUBMISSION_TRANSITIONS.get((sub.status, S.NOT_CHOSEN)),
            "history": SubmissionChange.objects.filter(submission=sub).select_related("actor"),
            "round_url": reverse("admin:curation_round_change", args=[sub.round_id]),
            "missing": [RequestKind(k).label for k in services.missing_certificates(sub.product)],
        }
        return TemplateResponse(request, "admin/curation/submission/score.html", context)
