"""Reads of the public pages from the read replica, with read-your-writes.

``DATABASE_REPLICA_URL`` (sipi/settings.py) adds a ``replica`` alias, a streaming hot standby of
the primary. ``ReplicaReadMiddleware`` flags a request as a *public read* when it is a safe
(GET/HEAD/OPTIONS) request for a page of the public surface (URL namespace ``public``) and the
browser has not sent a form in the last ``READ_YOUR_WRITES_SECONDS``; during that request
``ReplicaRouter`` sends reads of the catalog's models (``ikm``, ``products``, ``certifications``,
``public``: the catalog index)
to the replica. Everything else reads and writes the primary (``default``): every write, the
owner portal, the back-office, the background jobs, and sessions, users and login throttling
even on public pages (a session just created must not look missing on a lagging replica).

Read-your-writes: any unsafe request (a form sent: POST, PUT, PATCH, DELETE) gets a cookie that
keeps that browser's reads on the primary for ``READ_YOUR_WRITES_SECONDS`` (5 s), so an owner
who has just saved a product sees the change on its public page at once, replica lag or not.
The cookie holds only a time: sending a forged one just reads from the primary.

Without ``DATABASE_REPLICA_URL`` the router answers nothing and every query uses ``default``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
# Apps whose reads may come from the replica: the catalog the public pages show.
REPLICA_APPS = frozenset({"ikm", "products", "certifications", "public"})  # public: catalog index
# URL namespaces of read-only public surfaces: the public pages and the open-data API.
PUBLIC_NAMESPACES = frozenset({"public", "api"})
COOKIE = "sipi_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_public_read: ContextVar[bool] = ContextVar("sipi_public_read", default=False)


def replica_configured() -> bool:
    return REPLICA in connections.settings


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _public_read.get() and model._meta.app_label in REPLICA_APPS and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        # An object read from the replica is saved on the primary (Django's fallback would be
        # the database it came from, a read-only standby).
        instance = hints.get("instance")
        if instance is not None and instance._state.db == REPLICA:
            return DEFAULT_DB_ALIAS
        return None

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary.
        if REPLICA in (obj1._state.db, obj2._state.db):
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return False if db == REPLICA else None


class ReplicaReadMiddleware:
    """Flags public reads for ``ReplicaRouter``; after an unsafe request, sets the cookie that
    keeps this browser on the primary for ``READ_YOUR_WRITES_SECONDS``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _public_read.set(False)
        try:
            response = self.get_response(request)
        finally:
            _public_read.reset(token)
        if request.method not in SAFE_METHODS and replica_configured():
            seconds = settings.READ_YOUR_WRITES_SECONDS
            response.set_cookie(
                COOKIE,
                str(int(time.time() + seconds) + 1),
                max_age=seconds + 1,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if (
            request.method in SAFE_METHODS
            and match is not None
            and not PUBLIC_NAMESPACES.isdisjoint(match.app_names)
            and not self._wrote_recently(request)
        ):
            _public_read.set(True)
        return None

    @staticmethod
    def _wrote_recently(request: HttpRequest) -> bool:
        try:
            return float(request.COOKIES.get(COOKIE, 0)) > time.time()
        except ValueError:
            return False
