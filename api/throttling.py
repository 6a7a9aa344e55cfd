"""Per-address throttling of the API in the shared cache (Redis), answered with 429 + Retry-After.

The address is ``accounts.network.client_ip``: the real client behind our trusted proxies
(TRUSTED_PROXY_COUNT), never a forgeable X-Forwarded-For entry. The rate is API_THROTTLE_RATE.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from accounts.network import client_ip


class AddressRateThrottle(SimpleRateThrottle):
    scope = "api"
    cache_format = "api-throttle:%(ident)s"

    def get_rate(self) -> str:
        return settings.API_THROTTLE_RATE

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"ident": client_ip(request._request) or "unknown"}
