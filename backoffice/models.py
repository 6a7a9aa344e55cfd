"""Back-office data: saved column mappings of spreadsheet imports (issue 10)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportMapping(models.Model):
    """A named column mapping ("templat") an official saved on the import's mapping screen.

    ``signature`` is :func:`core.spreadsheet.mapping.header_signature` of the file's headers
    (case, spaces and punctuation ignored): the next file of the same model with the same headers
    gets this mapping automatically ("Memakai templat 'X'"). ``mapping`` is {normalised file
    header: resource column header, "" = ignored}; ``headers`` keeps the file's own headers.
    """

    name = models.CharField(_("nama templat"), max_length=100)
    model_label = models.CharField(_("data"), max_length=100, help_text="ikm.ikmunit")
    signature = models.CharField(_("tanda judul kolom"), max_length=64, editable=False)
    headers = models.JSONField(_("judul kolom berkas"), default=list)
    mapping = models.JSONField(_("pemetaan kolom"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("templat pemetaan impor")
        verbose_name_plural = _("templat pemetaan impor")
        ordering = ("model_label", "name")
        constraints = [
            models.UniqueConstraint(
                fields=("model_label", "name"),
                name="importmapping_unique_name",
                violation_error_message=_("Nama templat ini sudah dipakai untuk data yang sama."),
            ),
        ]
        indexes = [
            models.Index(fields=["model_label", "signature"], name="importmapping_sig_idx"),
        ]

    def __str__(self) -> str:
        return self.name
