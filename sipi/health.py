"""``GET /healthz`` for a load balancer or monitor: PostgreSQL, Redis and the Celery worker.

Cheap enough to poll every few seconds: one ``SELECT 1`` (no write, no session) and one Redis
``GET`` that both proves Redis answers and reads the worker's heartbeat. The heartbeat is written
by the task ``health.beat``, which beat sends every HEALTH_BEAT_SECONDS (settings) and a worker
runs: a fresh heartbeat means beat, the broker and a worker all work. It is older than
HEALTH_WORKER_MAX_AGE (or missing) when no worker has run it since: the worker is reported down.

200 ``{"status": "ok", ...}`` when all are up; 503 ``{"status": "fail", "failed": [...], ...}``
naming what failed otherwise. Redis is reached with its own client and short timeouts, so a
Redis that does not answer fails the check in about a second instead of hanging it.
"""

from __future__ import annotations

import time

import redis
from django.conf import settings
from django.db import DatabaseError, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

TIMEOUT = 1.0  # seconds, Redis connect and read
_clients: dict[str, redis.Redis] = {}


def _location() -> str:
    location = settings.CACHES["default"]["LOCATION"]
    return location[0] if isinstance(location, list | tuple) else location


def redis_client() -> redis.Redis:
    """A client of the cache's Redis (one per location, reused between requests)."""
    location = _location()
    client = _clients.get(location)
    if client is None:
        client = redis.Redis.from_url(
            location, socket_connect_timeout=TIMEOUT, socket_timeout=TIMEOUT
        )
        _clients[location] = client
    return client


def heartbeat_key() -> str:
    """Per queue: the heartbeat says a worker of *this* deployment's queue ran it."""
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    return f"{prefix}:health:worker:{settings.CELERY_TASK_DEFAULT_QUEUE}"


def record_heartbeat(at: float | None = None) -> None:
    """Written by the worker (task ``health.beat``)."""
    redis_client().set(
        heartbeat_key(),
        f"{time.time() if at is None else at:.3f}",
        ex=settings.HEALTH_WORKER_MAX_AGE,
    )


def check_database() -> dict:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True}


def check_redis_and_worker() -> tuple[dict, dict]:
    try:
        value = redis_client().get(heartbeat_key())
    except redis.RedisError as exc:
        return (
            {"ok": False, "error": type(exc).__name__},
            {"ok": False, "error": "Redis tidak terjangkau: tanda hidup pekerja tidak terbaca"},
        )
    if value is None:
        return {"ok": True}, {
            "ok": False,
            "error": f"tidak ada tanda hidup dalam {settings.HEALTH_WORKER_MAX_AGE} detik",
        }
    age = max(0.0, time.time() - float(value))
    worker = {"ok": age <= settings.HEALTH_WORKER_MAX_AGE, "age_seconds": round(age, 1)}
    if not worker["ok"]:
        worker["error"] = f"tanda hidup terakhir {age:.0f} detik lalu"
    return {"ok": True}, worker


@never_cache
@require_safe
def healthz(request):
    started = time.monotonic()
    checks = {"database": check_database()}
    checks["redis"], checks["worker"] = check_redis_and_worker()
    failed = [name for name, check in checks.items() if not check["ok"]]
    body = {
        "status": "fail" if failed else "ok",
        "failed": failed,
        "checks": checks,
        "ms": round((time.monotonic() - started) * 1000, 1),
    }
    return JsonResponse(body, status=503 if failed else 200)
