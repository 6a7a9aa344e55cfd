"""What every life cycle shares (certifications, events, curation, matching, consignment): a
checked move and the error for a move the table does not have.

Each app keeps its own table in its ``workflow.py``: ``{(from, to): who}``, where ``who`` is the
one role allowed, a collection of roles, or ``None`` where the table names no roles.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DEFAULT_MESSAGE = _("Status “%(frm)s” tidak dapat diubah menjadi “%(to)s”.")


class TransitionNotAllowed(ValidationError):
    """The table has no such move for this actor: nothing was changed."""


@dataclass(frozen=True)
class Transition:
    """A move the table allows (only :func:`check` makes one)."""

    frm: str
    to: str
    role: str | None = None


def is_allowed(table: Mapping, status: str, to: str, role: str | None = None) -> bool:
    if (status, to) not in table:
        return False
    who = table[(status, to)]
    if role is None or who is None:
        return True
    if isinstance(who, str):
        return who == role
    return isinstance(who, Collection) and role in who


def check(
    table: Mapping, choices, status: str, to: str, role: str | None = None, message=None
) -> Transition:
    """The checked move from ``status`` to ``to`` by ``role``; TransitionNotAllowed otherwise.

    ``choices`` is the status TextChoices (its labels name the statuses in the message).
    """
    if not is_allowed(table, status, to, role):
        raise TransitionNotAllowed(
            message or DEFAULT_MESSAGE,
            code="transition_not_allowed",
            params={"frm": choices(status).label, "to": choices(to).label},
        )
    return Transition(frm=status, to=to, role=role)
