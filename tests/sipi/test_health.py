"""GET /healthz against the real services: PostgreSQL, Redis and a real worker's heartbeat."""

from __future__ import annotations

import socket
import time

import pytest
from django.contrib.sessions.models import Session
from django.db import connections
from django.test.utils import CaptureQueriesContext

from sipi import health
from tests.support.worker import wait_for


@pytest.fixture
def no_heartbeat():
    """Start without a heartbeat (the key is per test queue, but may be left by a former run)."""
    health.redis_client().delete(health.heartbeat_key())
    yield
    health.redis_client().delete(health.heartbeat_key())


@pytest.mark.django_db(transaction=True, databases=["default", "direct"])
def test_all_up_once_a_real_worker_has_run_the_heartbeat(
    celery_worker, client, no_heartbeat, settings
):
    from sipi.celery import app

    before = client.get("/healthz")
    assert before.status_code == 503 and before.json()["failed"] == ["worker"]

    app.send_task("health.beat")  # what beat sends every 30 s
    wait_for(lambda: health.redis_client().get(health.heartbeat_key()))
    with CaptureQueriesContext(connections["default"]) as queries:
        response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["failed"] == []
    assert body["checks"]["database"] == {"ok": True}
    assert body["checks"]["redis"] == {"ok": True}
    assert body["checks"]["worker"]["ok"] and body["checks"]["worker"]["age_seconds"] < 30
    # Cheap and side-effect free: one SELECT 1, no session, no cookie, never cached.
    assert [q["sql"] for q in queries.captured_queries] == ["SELECT 1"]
    assert not response.cookies and not Session.objects.exists()
    assert "no-cache" in response["Cache-Control"]
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405
    # Beat sends the heartbeat well within the age that counts as down.
    beat = settings.CELERY_BEAT_SCHEDULE["health-heartbeat"]
    assert beat["task"] == "health.beat" and beat["schedule"] * 3 <= settings.HEALTH_WORKER_MAX_AGE


def test_redis_unreachable_is_503_naming_redis(client, db, settings, tmp_path):
    health.record_heartbeat()  # the worker is fine, as far as the real Redis knows
    closed = tmp_path / "closed.sock"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(closed))
    sock.close()  # the socket file stays; nothing listens on it
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": f"unix://{closed}?db=3"}
    }

    started = time.monotonic()
    response = client.get("/healthz")

    assert time.monotonic() - started < 5
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["failed"] == ["redis", "worker"]
    assert body["checks"]["database"] == {"ok": True}
    assert body["checks"]["redis"]["ok"] is False and body["checks"]["redis"]["error"]
    assert "Redis tidak terjangkau" in body["checks"]["worker"]["error"]


def test_stale_or_missing_heartbeat_is_503_naming_the_worker(client, db, no_heartbeat):
    health.record_heartbeat(at=time.time() - 4 * 60)  # its last run, four minutes ago
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["worker"]
    assert body["checks"]["worker"]["age_seconds"] >= 240
    assert "detik lalu" in body["checks"]["worker"]["error"]
    assert body["checks"]["database"]["ok"] and body["checks"]["redis"]["ok"]

    health.redis_client().delete(health.heartbeat_key())  # none at all (expired)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["failed"] == ["worker"]
    assert "tidak ada tanda hidup" in response.json()["checks"]["worker"]["error"]

    health.record_heartbeat()
    assert client.get("/healthz").status_code == 200


def test_health_is_not_redirected_to_https(client, db, settings, no_heartbeat):
    """A load balancer polls the backend over plain HTTP, even when the site forces HTTPS."""
    settings.SECURE_SSL_REDIRECT = True
    health.record_heartbeat()
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301
