"""The two life cycles of the consignment ledger, each one table (like ``certifications.workflow``).

Only officials (the showroom staff) move them; ``consignment.services`` is the only writer: a
verb asks :func:`note_transition` / :func:`settlement_transition` for the move (checked here,
once), validates its own rule, then applies it and writes a status-change row.

Nota titip::

    draft ──terima──▶ received ──tutup──▶ closed
    (items editable)  (stock counts,      (nothing left in stock;
                       sales, returns)     no more movements)

Setoran bulanan::

    open ──lunasi──▶ settled   (paid equals owed)
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.workflow import Transition, check
from core.workflow import TransitionNotAllowed as TransitionNotAllowed  # callers catch it here

from .models import ConsignmentNote, Settlement

N = ConsignmentNote.Status
T = Settlement.Status

# (from, to) -> the verb (slug) that makes the move.
NOTE_TRANSITIONS: dict[tuple[str, str], str] = {
    (N.DRAFT, N.RECEIVED): "terima",
    (N.RECEIVED, N.CLOSED): "tutup",
}
SETTLEMENT_TRANSITIONS: dict[tuple[str, str], str] = {
    (T.OPEN, T.SETTLED): "lunasi",
}

# The officials' verbs as buttons: slug -> (label, target status).
NOTE_VERBS: dict[str, tuple[object, str]] = {
    "terima": (_("Terima barang (stok mulai dihitung)"), N.RECEIVED),
    "tutup": (_("Tutup nota"), N.CLOSED),
}
SETTLEMENT_VERBS: dict[str, tuple[object, str]] = {
    "lunasi": (_("Tandai lunas"), T.SETTLED),
}

# Items may be added, changed or removed only on a draft note.
EDITABLE_NOTE_STATUSES = (N.DRAFT,)
# Sales, returns and corrections only on a received note.
MOVING_NOTE_STATUSES = (N.RECEIVED,)


def note_transition(status: str, to: str) -> Transition:
    return check(NOTE_TRANSITIONS, N, status, to)


def settlement_transition(status: str, to: str) -> Transition:
    return check(SETTLEMENT_TRANSITIONS, T, status, to)


def note_verbs(status: str) -> list[tuple[str, object]]:
    return [
        (slug, label)
        for slug, (label, to) in NOTE_VERBS.items()
        if (status, to) in NOTE_TRANSITIONS
    ]


def settlement_verbs(status: str) -> list[tuple[str, object]]:
    return [
        (slug, label)
        for slug, (label, to) in SETTLEMENT_VERBS.items()
        if (status, to) in SETTLEMENT_TRANSITIONS
    ]


def is_note_editable(status: str) -> bool:
    return status in EDITABLE_NOTE_STATUSES


def note_moves_stock(status: str) -> bool:
    return status in MOVING_NOTE_STATUSES
