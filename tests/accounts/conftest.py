"""Fixtures of the account-security tests."""

from tests.support.requests import (  # noqa: F401 - fixtures (a request with documents)
    file_roots,
    product_a,
    request_a,
    unit_a,
)
