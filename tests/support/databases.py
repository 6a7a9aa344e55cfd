"""Extra Django database aliases for a test (a replica, a pooled connection) and SQL capture.

``extra_alias("replica", url)`` adds the alias to ``django.db.connections`` for the test's
duration, on the test database, and closes and removes it afterwards. Ask for it after the
``django_db`` fixtures (``transactional_db``): the test case's set-up blocks every alias it did
not declare and flushes the declared ones (a read-only replica cannot be flushed). Django's
block only stops *opening* a connection, so the alias connects at once and stays connected
(``CONN_MAX_AGE`` None) for the whole test.
"""

from __future__ import annotations

import contextlib

import dj_database_url
from django.db import DEFAULT_DB_ALIAS, connections


@contextlib.contextmanager
def extra_alias(alias: str, url: str, **overrides):
    db = dj_database_url.parse(url)
    db["NAME"] = connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]  # the test database
    db["CONN_MAX_AGE"] = None
    db.update(overrides)
    db["TEST"] = {"MIRROR": DEFAULT_DB_ALIAS}
    filled = connections.configure_settings(
        {DEFAULT_DB_ALIAS: connections.settings[DEFAULT_DB_ALIAS], alias: db}
    )[alias]
    connections.settings[alias] = filled
    try:
        connections[alias].connect()
        yield connections[alias]
    finally:
        connections[alias].close()
        del connections[alias]
        del connections.settings[alias]


class SqlLog:
    """``with SqlLog("default", "replica") as log``: every statement run on those aliases, as
    ``(alias, sql)`` pairs in ``log.statements``."""

    def __init__(self, *aliases: str):
        self.aliases = aliases
        self.statements: list[tuple[str, str]] = []
        self._stack = contextlib.ExitStack()

    def __enter__(self) -> SqlLog:
        for alias in self.aliases:

            def wrapper(execute, sql, params, many, context, alias=alias):
                self.statements.append((alias, sql))
                return execute(sql, params, many, context)

            self._stack.enter_context(connections[alias].execute_wrapper(wrapper))
        return self

    def __exit__(self, *exc) -> None:
        self._stack.close()

    def on(self, alias: str, table: str) -> list[str]:
        """Statements run on ``alias`` that name ``table``."""
        return [sql for a, sql in self.statements if a == alias and table in sql]
