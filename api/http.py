"""HTTP caching of API answers: ETag and Last-Modified with 304, Cache-Control for everyone.

The API is anonymous (no session is read, REST_FRAMEWORK's authentication is off), so every
answer is the same for every caller: ``Cache-Control: public, max-age=API_MAX_AGE``. The ETag is a
hash of the JSON body; Last-Modified is the latest ``updated_at`` of the rows answered, when the
view knows it. ``If-None-Match`` / ``If-Modified-Since`` then give a body-less 304.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

SAFE = ("GET", "HEAD")


class HttpCachingMixin:
    #: set by a view to the latest modification time of what it answers (or left None)
    last_modified = None

    def note_modified(self, rows) -> None:
        times = [row.updated_at for row in rows if getattr(row, "updated_at", None)]
        if times:
            latest = max(times)
            self.last_modified = max(self.last_modified or latest, latest)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in SAFE or response.status_code != 200:
            return response
        response.render()
        etag = f'"{hashlib.blake2b(response.content, digest_size=16).hexdigest()}"'
        # Whole seconds: what Last-Modified carries and If-Modified-Since sends back.
        timestamp = int(self.last_modified.timestamp()) if self.last_modified else None
        response["ETag"] = etag
        if timestamp is not None:
            response["Last-Modified"] = http_date(timestamp)
        patch_cache_control(response, public=True, max_age=settings.API_MAX_AGE)
        patch_vary_headers(response, ("Accept-Language",))
        conditional = get_conditional_response(
            request._request, etag=etag, last_modified=timestamp, response=response
        )
        if conditional is not response:
            for header in ("Cache-Control", "Vary", "ETag", "Last-Modified"):
                if header in response:
                    conditional[header] = response[header]
        return conditional
