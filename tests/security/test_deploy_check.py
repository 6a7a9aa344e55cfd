"""`manage.py check --deploy` with production settings warns of nothing (issue 13): W005/W021
(HSTS subdomains/preload) are silenced in settings, with the reason written beside them."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

from django.conf import settings


def deploy_check(**env) -> subprocess.CompletedProcess:
    environment = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "NIK_ENCRYPTION_KEY": "c2lwaS1kZWJ1Zy1vbmx5LW5pay1rZXktMzJieXRlcyE=",
        "ALLOWED_HOSTS": "sipi-ikm.kalbarprov.go.id",
        **env,
    }
    for name in ("PYTEST_VERSION", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "SIPI_TEST_DB"):
        environment.pop(name, None)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_https_settings():
    result = deploy_check(
        SECURE_COOKIES="1", SECURE_SSL_REDIRECT="1", SECURE_HSTS_SECONDS="31536000"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (2 silenced)." in result.stdout


def test_only_the_two_hsts_warnings_are_silenced_and_each_has_its_reason():
    assert settings.SILENCED_SYSTEM_CHECKS == ["security.W005", "security.W021"]
    source = (settings.BASE_DIR / "sipi" / "settings.py").read_text()
    assert "- W005 (HSTS without includeSubDomains):" in source
    assert "- W021 (HSTS preload):" in source


def test_check_deploy_still_warns_about_a_real_mistake():
    """The check is live: plain-HTTP cookies are reported (this test cannot pass vacuously)."""
    result = deploy_check(SECURE_COOKIES="0", SECURE_SSL_REDIRECT="1", SECURE_HSTS_SECONDS="3600")
    assert result.returncode != 0
    assert "security.W012" in result.stderr + result.stdout
