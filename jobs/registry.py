"""Which function runs a job of each kind.

An app above ``jobs`` registers its handlers in its ``tasks.py``, which the worker imports
(Celery autodiscovery). A handler is ``fn(job, progress) -> dict``: it does its work (in its own
transaction when it writes), reports ``progress(done, total)`` as it goes, and returns a summary
that is stored on the job. It raises :class:`JobError` for a failure the user should read.
"""

from __future__ import annotations

from collections.abc import Callable

HANDLERS: dict[str, Callable] = {}


class JobError(Exception):
    """A failure with a message for the person who started the job (Indonesian)."""


def handler(kind: str):
    def register(fn: Callable) -> Callable:
        HANDLERS[kind] = fn
        return fn

    return register
