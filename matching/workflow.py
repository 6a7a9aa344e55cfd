"""The meaning of a buyer request's status, in one place (``matching.services`` is the only
writer: each verb asks :func:`transition` for the move, checked here once)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core import workflow as core_workflow
from core.workflow import Transition
from core.workflow import TransitionNotAllowed as TransitionNotAllowed  # callers catch it here

from .models import BuyerRequest

S = BuyerRequest.Status
OWNER = "owner"
OFFICIAL = "official"

# (from, to) -> who may make that move. Routing more units to a routed or answered request is
# not a move (the status stays).
ALLOWED_TRANSITIONS: dict[tuple[str, str], str] = {
    (S.NEW, S.ROUTED): OFFICIAL,
    (S.NEW, S.REJECTED): OFFICIAL,  # spam
    (S.NEW, S.CLOSED_NO_DEAL): OFFICIAL,  # no unit makes it
    (S.ROUTED, S.ANSWERED): OWNER,  # the first answer of a routed unit
    (S.ROUTED, S.CLOSED_NO_DEAL): OFFICIAL,
    (S.ANSWERED, S.CLOSED_DEAL): OFFICIAL,
    (S.ANSWERED, S.CLOSED_NO_DEAL): OFFICIAL,
}

OPEN_STATUSES = (S.NEW, S.ROUTED, S.ANSWERED)
CLOSED_STATUSES = (S.CLOSED_DEAL, S.CLOSED_NO_DEAL, S.REJECTED)
# Statuses in which more units may still be routed to the request.
ROUTABLE_STATUSES = (S.NEW, S.ROUTED, S.ANSWERED)

# The officials' verbs: slug -> (button label, target status).
OFFICIAL_VERBS: dict[str, tuple[object, str]] = {
    "spam": (_("Tolak sebagai spam"), S.REJECTED),
    "transaksi": (_("Tutup: terjadi transaksi"), S.CLOSED_DEAL),
    "tanpa-transaksi": (_("Tutup: tanpa transaksi"), S.CLOSED_NO_DEAL),
}


def is_allowed(status: str, to: str, role: str) -> bool:
    return core_workflow.is_allowed(ALLOWED_TRANSITIONS, status, to, role)


def transition(status: str, to: str, role: str) -> Transition:
    return core_workflow.check(ALLOWED_TRANSITIONS, S, status, to, role)


def official_verbs(status: str) -> list[tuple[str, object]]:
    return [
        (slug, label)
        for slug, (label, target) in OFFICIAL_VERBS.items()
        if is_allowed(status, target, OFFICIAL)
    ]
