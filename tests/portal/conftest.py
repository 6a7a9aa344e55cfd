"""Fixtures of the owner-portal tests: two owners' units, products and requests."""

from tests.support.requests import (  # noqa: F401 - fixtures
    file_roots,
    product_a,
    product_b,
    request_a,
    request_b,
    unit_a,
    unit_b,
)
