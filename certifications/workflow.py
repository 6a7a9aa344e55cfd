"""The meaning of a request's status, in one place: who may move it where, what the owner may
still change, what the owner should do next, which queue it sits in, and the officials' verbs.

``certifications.services`` is the only writer: each verb asks :func:`transition` for the move
(which checks the table once and raises :class:`TransitionNotAllowed`), validates its own input,
then applies the move with ``services.move``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core import workflow as core_workflow
from core.workflow import Transition
from core.workflow import TransitionNotAllowed as TransitionNotAllowed  # callers catch it here

from .models import Request

S = Request.Status
OWNER = "owner"
OFFICIAL = "official"

# (from, to) -> who may make that move.
ALLOWED_TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, S.SUBMITTED): OWNER,
    (S.SUBMITTED, S.IN_REVIEW): OFFICIAL,
    (S.IN_REVIEW, S.RETURNED): OFFICIAL,
    (S.RETURNED, S.RESUBMITTED): OWNER,
    (S.RESUBMITTED, S.IN_REVIEW): OFFICIAL,
    (S.IN_REVIEW, S.FORWARDED): OFFICIAL,
    (S.FORWARDED, S.ISSUED): OFFICIAL,
    (S.IN_REVIEW, S.REJECTED): OFFICIAL,
    (S.FORWARDED, S.REJECTED): OFFICIAL,
    (S.DRAFT, S.WITHDRAWN): OWNER,
    (S.SUBMITTED, S.WITHDRAWN): OWNER,
    (S.IN_REVIEW, S.WITHDRAWN): OWNER,
    (S.RETURNED, S.WITHDRAWN): OWNER,
    (S.RESUBMITTED, S.WITHDRAWN): OWNER,
}

# The owner may still change notes and documents.
EDITABLE_STATUSES = (S.DRAFT, S.RETURNED)
# Final: the request is decided (decided_at is set on entering one).
DECIDED_STATUSES = (S.ISSUED, S.REJECTED, S.WITHDRAWN)
# Entering one of these stamps submitted_at.
SUBMITTED_STATUSES = (S.SUBMITTED, S.RESUBMITTED)

# The officials' queue: (slug, label, statuses).
QUEUE_GROUPS: tuple[tuple[str, object, tuple[str, ...]], ...] = (
    ("perlu", _("Perlu tindakan petugas"), (S.SUBMITTED, S.RESUBMITTED, S.IN_REVIEW, S.FORWARDED)),
    ("pemilik", _("Menunggu pemilik"), EDITABLE_STATUSES),
)

# The officials' verbs in the back-office: slug -> (button label, target status).
OFFICIAL_VERBS: dict[str, tuple[object, str]] = {
    "periksa": (_("Mulai periksa"), S.IN_REVIEW),
    "kembalikan": (_("Kembalikan untuk perbaikan"), S.RETURNED),
    "teruskan": (_("Teruskan/setujui"), S.FORWARDED),
    "terbit": (_("Catat sertifikat terbit"), S.ISSUED),
    "tolak": (_("Tolak"), S.REJECTED),
}

# What the owner should do next, shown on the portal page and in every status mail.
NEXT_STEPS = {
    S.DRAFT: _(
        "Lengkapi semua dokumen wajib, lalu tekan “Ajukan”. Konsep belum terlihat oleh petugas."
    ),
    S.SUBMITTED: _("Permohonan sudah diajukan. Tunggu petugas Dinas mulai memeriksanya."),
    S.IN_REVIEW: _("Petugas sedang memeriksa dokumen Anda. Tidak ada yang perlu Anda lakukan."),
    S.RETURNED: _(
        "Baca catatan petugas, perbaiki atau ganti dokumen yang diminta, lalu tekan “Ajukan ulang”."
    ),
    S.RESUBMITTED: _("Perbaikan sudah dikirim. Tunggu petugas memeriksanya kembali."),
    S.FORWARDED: _(
        "Dinas sudah meneruskan permohonan ke lembaga penerbit. Tunggu nomor sertifikat terbit."
    ),
    S.ISSUED: _("Sertifikat sudah terbit dan tampil di halaman publik. Tidak ada langkah lagi."),
    S.REJECTED: _(
        "Permohonan ditolak; baca alasannya. Anda dapat membuat permohonan baru bila syarat "
        "sudah terpenuhi."
    ),
    S.WITHDRAWN: _("Permohonan sudah Anda batalkan. Tidak ada langkah lagi."),
}


def is_allowed(status: str, to: str, role: str) -> bool:
    return core_workflow.is_allowed(ALLOWED_TRANSITIONS, status, to, role)


def transition(status: str, to: str, role: str) -> Transition:
    """The checked move from ``status`` to ``to`` by ``role``; TransitionNotAllowed otherwise."""
    return core_workflow.check(ALLOWED_TRANSITIONS, S, status, to, role)


def allowed_targets(status: str, role: str) -> list[str]:
    return [to for (frm, to), who in ALLOWED_TRANSITIONS.items() if frm == status and who == role]


def is_editable(status: str) -> bool:
    return status in EDITABLE_STATUSES


def is_decided(status: str) -> bool:
    return status in DECIDED_STATUSES


def owner_can_withdraw(status: str) -> bool:
    return is_allowed(status, S.WITHDRAWN, OWNER)


def official_verbs(status: str) -> list[tuple[str, object]]:
    """(slug, label) of the verbs an official may use on a request in ``status``."""
    return [
        (slug, label)
        for slug, (label, target) in OFFICIAL_VERBS.items()
        if is_allowed(status, target, OFFICIAL)
    ]


def next_step_text(status: str) -> str:
    return str(NEXT_STEPS[S(status)])
