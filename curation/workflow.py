"""The meaning of a curation round's and a submission's status, in one place.

``curation.services`` is the only writer: each verb asks :func:`round_transition` or
:func:`submission_transition` for the move (checked here, once; :class:`TransitionNotAllowed`
otherwise) and applies it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.workflow import Transition, check
from core.workflow import TransitionNotAllowed as TransitionNotAllowed  # callers catch it here

from .models import Round, Submission

R = Round.Status
S = Submission.Status
OWNER = "owner"
OFFICIAL = "official"

# Rounds: only officials move them.
ROUND_TRANSITIONS: dict[tuple[str, str], str] = {
    (R.DRAFT, R.OPEN): OFFICIAL,
    (R.OPEN, R.SCORING): OFFICIAL,
    (R.SCORING, R.PUBLISHED): OFFICIAL,
    (R.DRAFT, R.CANCELLED): OFFICIAL,
    (R.OPEN, R.CANCELLED): OFFICIAL,
    (R.SCORING, R.CANCELLED): OFFICIAL,
}

# Submissions: (from, to) -> who.
SUBMISSION_TRANSITIONS: dict[tuple[str, str], str] = {
    (S.SUBMITTED, S.WITHDRAWN): OWNER,  # only while the round is open
    (S.SUBMITTED, S.SCORED): OFFICIAL,  # the first complete score sheet
    (S.SUBMITTED, S.NOT_CHOSEN): OFFICIAL,  # not eligible (no score needed)
    (S.SCORED, S.CHOSEN): OFFICIAL,
    (S.SCORED, S.NOT_CHOSEN): OFFICIAL,
    (S.CHOSEN, S.NOT_CHOSEN): OFFICIAL,  # revised before the results are published
    (S.NOT_CHOSEN, S.CHOSEN): OFFICIAL,
}

# Which round status each submission move needs.
ROUND_STATUS_FOR_MOVE: dict[tuple[str, str], str] = {
    (S.SUBMITTED, S.WITHDRAWN): R.OPEN,
    (S.SUBMITTED, S.SCORED): R.SCORING,
    (S.SUBMITTED, S.NOT_CHOSEN): R.SCORING,
    (S.SCORED, S.CHOSEN): R.SCORING,
    (S.SCORED, S.NOT_CHOSEN): R.SCORING,
    (S.CHOSEN, S.NOT_CHOSEN): R.SCORING,
    (S.NOT_CHOSEN, S.CHOSEN): R.SCORING,
}

DECIDED = (S.CHOSEN, S.NOT_CHOSEN, S.WITHDRAWN)
# Submissions that count in a round (not withdrawn).
ACTIVE = (S.SUBMITTED, S.SCORED, S.CHOSEN, S.NOT_CHOSEN)

# The officials' round verbs: slug -> (button label, target status).
ROUND_VERBS: dict[str, tuple[object, str]] = {
    "buka": (_("Buka pendaftaran"), R.OPEN),
    "nilai": (_("Tutup pendaftaran dan mulai penilaian"), R.SCORING),
    "umumkan": (_("Umumkan hasil"), R.PUBLISHED),
    "batalkan": (_("Batalkan putaran"), R.CANCELLED),
}

OWNER_TEXT = {
    S.SUBMITTED: _(
        "Pengajuan diterima. Tunggu penilaian oleh petugas setelah pendaftaran ditutup."
    ),
    S.SCORED: _("Produk sudah dinilai. Hasil diumumkan setelah penilaian selesai."),
    S.CHOSEN: _("Selamat, produk Anda terpilih sebagai produk terseleksi."),
    S.NOT_CHOSEN: _("Produk Anda belum terpilih pada putaran ini."),
    S.WITHDRAWN: _("Pengajuan sudah Anda tarik."),
}


def round_transition(status: str, to: str) -> Transition:
    return check(
        ROUND_TRANSITIONS,
        R,
        status,
        to,
        OFFICIAL,
        _("Status putaran “%(frm)s” tidak dapat diubah menjadi “%(to)s”."),
    )


def submission_transition(status: str, to: str, role: str, round_status: str) -> Transition:
    check(
        SUBMISSION_TRANSITIONS,
        S,
        status,
        to,
        role,
        _("Status pengajuan “%(frm)s” tidak dapat diubah menjadi “%(to)s”."),
    )
    needed = ROUND_STATUS_FOR_MOVE[(status, to)]
    if round_status != needed:
        raise TransitionNotAllowed(
            _("Tidak dapat dilakukan: putaran kurasi berstatus “%(status)s”."),
            code="round_status",
            params={"status": R(round_status).label},
        )
    return Transition(frm=status, to=to, role=role)


def round_verbs(status: str) -> list[tuple[str, object]]:
    return [
        (slug, label)
        for slug, (label, target) in ROUND_VERBS.items()
        if (status, target) in ROUND_TRANSITIONS
    ]


def owner_text(status: str) -> str:
    return str(OWNER_TEXT[S(status)])
