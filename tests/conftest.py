"""Shared fixtures: the Kalbar regions in the test database, named actors, and a real browser."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls in the same thread
# are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

from tests.support.job_files import job_files  # noqa: E402, F401 - fixture (job uploads in tmp)
from tests.support.smtp import smtp_server  # noqa: E402, F401 - fixture (SMTP on loopback)
from tests.support.worker import celery_worker, start_worker  # noqa: E402, F401 - fixtures


def _ensure_regions() -> None:
    from ikm.models import Region
    from ikm.regions import load_regions

    if not Region.objects.filter(code="61").exists():
        load_regions()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the Kalbar regions once: reference data every test may use."""
    with django_db_blocker.unblock():
        _ensure_regions()


@pytest.fixture
def regions(django_db_blocker):
    """Regions for tests that flush the database (transactional_db, live_server)."""
    with django_db_blocker.unblock():
        _ensure_regions()


# --- named actors ----------------------------------------------------------------------------
@pytest.fixture
def owner(db):
    from tests.factories import UserFactory

    return UserFactory(username="pemilik_a", email="pemilik.a@example.id")


@pytest.fixture
def other_owner(db):
    from tests.factories import UserFactory

    return UserFactory(username="pemilik_b", email="pemilik.b@example.id")


@pytest.fixture
def province_official(db):
    from tests.factories import OfficialFactory, UserFactory

    return OfficialFactory(user=UserFactory(username="pejabat_prov", is_staff=True)).user


@pytest.fixture
def official_sanggau(db):
    from ikm.models import Region
    from tests.factories import OfficialFactory, UserFactory

    return OfficialFactory(
        user=UserFactory(username="pejabat_sanggau", is_staff=True),
        kabupaten=Region.objects.get(code="61.03"),
    ).user


@pytest.fixture
def official_ketapang(db):
    from ikm.models import Region
    from tests.factories import OfficialFactory, UserFactory

    return OfficialFactory(
        user=UserFactory(username="pejabat_ketapang", is_staff=True),
        kabupaten=Region.objects.get(code="61.04"),
    ).user


# --- browser ---------------------------------------------------------------------------------
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright (no Playwright browser download)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: `make test` installs it (apt-get install chromium).")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(request):
    """``screenshot(page, "name")`` saves test-artifacts/<test>-<name>.png and returns its path."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str, full_page: bool = True) -> Path:
        path = ARTIFACTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


# --- the second factor (tests/support/otp.py) --------------------------------------------------
@pytest.fixture(autouse=True)
def _staff_force_login_is_otp_verified(request, monkeypatch):
    """``client.force_login(official)`` also passes the second factor, so admin tests stay as they
    are; ``@pytest.mark.mfa_unverified`` keeps a password-only session (MFA tests)."""
    if request.node.get_closest_marker("mfa_unverified"):
        return
    from django.test import Client

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        if user.is_staff or user.is_superuser:
            from tests.support.otp import verify_session

            verify_session(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


# --- static files ----------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def _static_files_without_manifest(settings):
    """Tests run with DEBUG off, where {% static %} needs collectstatic's manifest: use the plain
    storage instead so every page renders (and live_server serves the files from static/)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


# --- rate limits (core/ratelimit.py) -----------------------------------------------------------
@pytest.fixture(autouse=True)
def _fresh_rate_limit_counters(monkeypatch):
    """Each test counts in its own Redis keys: counters of earlier tests and runs (the test client
    is always 127.0.0.1) never carry over."""
    import uuid

    monkeypatch.setattr("core.ratelimit.NAMESPACE", f"ratelimit-test-{uuid.uuid4().hex}")
