"""Security-test fixtures: an owner's unit with product, photo, link, request and claim; a
superuser; and the portal/admin URL patterns of the URLconf, for the walks."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.support.requests import (  # noqa: F401 - fixtures
    file_roots,
    product_a,
    product_b,
    request_a,
    unit_a,
    unit_b,
)


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def superuser(db):
    from tests.factories import UserFactory

    return UserFactory(username="admin_super", is_staff=True, is_superuser=True)


def url_patterns(namespace: str) -> list[tuple[str, str]]:
    """``(name, route)`` of every pattern under the URL namespace, as the URLconf declares it
    (regex routes as their regex), so a new page is walked without anyone listing it."""

    def walk(patterns, prefix, namespaces):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = namespaces + ((p.namespace,) if p.namespace else ())
                yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern) and namespace in namespaces:
                yield (p.name or "", prefix + str(p.pattern))

    return sorted(set(walk(get_resolver().url_patterns, "", ())))
