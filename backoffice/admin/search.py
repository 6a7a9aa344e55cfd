"""Search synonyms in the admin (``products.SearchSynonym``, issue 14).

A visitor who types "pakaian" or "oleh-oleh" finds what the catalog calls "tenun", "songket",
"lempok"… Province officials add and edit the table; kab/kota officials may read it (their role
group has only the view permission, ``ikm.roles``). A saved change moves the public catalog's
cache version on (``public.signals``), so the next search uses it.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from backoffice.mixins import ScopedAdminMixin
from core.forms import ConstraintModelForm
from products.models import SearchSynonym, fold_phrase


class SearchSynonymForm(ConstraintModelForm):
    class Meta:
        model = SearchSynonym
        fields = ("term", "related", "is_active", "is_popular")

    def clean_term(self):
        term = fold_phrase(self.cleaned_data.get("term") or "")
        if not term:
            raise ValidationError(_("Isi kata yang dicari (huruf atau angka)."), code="empty")
        return term

    def clean_related(self):
        related = []
        for item in self.cleaned_data.get("related") or []:
            phrase = fold_phrase(item)
            if phrase and phrase not in related:
                related.append(phrase)
        if not related:
            raise ValidationError(_("Isi sedikitnya satu kata terkait."), code="empty")
        return related

    def clean(self):
        cleaned = super().clean()
        term, related = cleaned.get("term"), cleaned.get("related")
        if term and related:
            cleaned["related"] = [w for w in related if w != term]
            if not cleaned["related"]:
                self.add_error("related", _("Kata terkait harus berbeda dari kata yang dicari."))
        return cleaned


@admin.register(SearchSynonym)
class SearchSynonymAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    form = SearchSynonymForm
    list_display = ("term", "related_list", "is_active", "is_popular", "updated_at")
    list_filter = ("is_active", "is_popular")
    search_fields = ("term", "related")
    ordering = ("term",)

    def scope_queryset(self, request, queryset):
        return queryset  # the whole province's catalog: one table for everyone

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "related" in form.base_fields:
            form.base_fields["related"].widget = forms.TextInput(attrs={"size": 80})
        return form

    @admin.display(description=_("kata terkait"))
    def related_list(self, obj):
        return ", ".join(obj.related)
