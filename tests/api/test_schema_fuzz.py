"""Schemathesis, in process, from the app's own OpenAPI schema: every operation with generated
parameters, valid (positive) and invalid (negative), must give no 5xx and no answer that breaks
the schema. Bounded: MAX_EXAMPLES per operation and mode (about 30 s in all).

Driven through Hypothesis directly: schemathesis' pytest plugin (``from_fixture``) reads a pytest
internal that pytest 9 no longer has.
"""

from __future__ import annotations

from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from tests.api.conftest import build_open_catalog

MAX_EXAMPLES = 10
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture
def wsgi_app_in_test_transaction():
    """The project's WSGI application without closing the test's database connection at the end
    of each request (as Django's test client does)."""
    from django.core.signals import request_finished, request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_api_answers_follow_the_schema(wsgi_app_in_test_transaction):
    build_open_catalog()
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", wsgi_app_in_test_transaction
    )
    statuses: Counter = Counter()
    no_negative: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 10  # 4 lists + 4 details + verification + statistics

    for operation in operations:
        has_parameters = bool(list(operation.query) + list(operation.path_parameters))
        for mode in GenerationMode:
            if mode is GenerationMode.NEGATIVE and not has_parameters:
                continue  # nothing to make invalid (the statistics)

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=MAX_EXAMPLES,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def run(case):
                # The in-process transport does not undo GZipMiddleware: ask for no encoding.
                response = case.call_and_validate(
                    checks=CHECKS, headers={"Accept-Encoding": "identity"}
                )
                statuses[response.status_code] += 1

            try:
                run()
            except Unsatisfiable:
                # Hypothesis found no invalid input that schemathesis can send for this one
                # (e.g. a path parameter whose invalid forms are not valid URLs either).
                assert mode is GenerationMode.NEGATIVE, operation.label
                no_negative.append(operation.label)
    print(
        "schemathesis:",
        len(operations),
        "operations,",
        sum(statuses.values()),
        "requests, statuses",
        dict(sorted(statuses.items())),
        "no negative cases for",
        no_negative,
    )
    assert statuses[200] > 0 and not any(code >= 500 for code in statuses)
