"""Response headers (issue 13): CSP with a nonce and no 'unsafe-inline', Permissions-Policy, the
language cookie, and ``Cache-Control: no-store`` on EVERY portal and admin URL of the URLconf."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from tests.security.conftest import url_patterns

pytestmark = pytest.mark.django_db


def csp_of(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part
    }


# --- CSP ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("url", ["/", "/produk/", "/akun/masuk/"])
def test_csp_has_a_fresh_nonce_and_no_unsafe_inline(client, url):
    first, second = client.get(url), client.get(url)
    assert first.status_code == 200
    policy = csp_of(first)
    assert "'unsafe-inline'" not in first["Content-Security-Policy"]
    assert "'unsafe-eval'" not in first["Content-Security-Policy"]
    nonce = [s for s in policy["script-src"] if s.startswith("'nonce-")]
    assert len(nonce) == 1 and nonce != [
        s for s in csp_of(second)["script-src"] if s.startswith("'nonce-")
    ]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert any(s.startswith("'nonce-") for s in policy["style-src"])


def test_csp_is_written_in_django_60_secure_csp_shape():
    from csp.constants import NONCE, SELF

    assert settings.SECURE_CSP["script-src"] == [SELF, NONCE]
    assert settings.CONTENT_SECURITY_POLICY == {"DIRECTIVES": settings.SECURE_CSP}


def test_the_nonce_reaches_templates(rf):
    """``{{ csp_nonce }}`` (Django 6.0's name) is the header's nonce."""
    from csp.middleware import CSPMiddleware
    from django.template import engines

    request = rf.get("/")
    middleware = CSPMiddleware(lambda r: None)
    middleware.process_request(request)
    html = (
        engines["django"]
        .from_string('<script nonce="{{ csp_nonce }}"></script>')
        .render({}, request)
    )
    from django.http import HttpResponse

    response = middleware.process_response(request, HttpResponse(html))
    nonce = re.search(r'nonce="([^"]+)"', html).group(1)
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]


def test_no_template_has_inline_script_style_or_handlers():
    """The project's templates keep to the CSP: scripts and styles come from /static/."""
    offenders = []
    inline = re.compile(
        r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")(?![^>]*nonce=)[^>]*>"
        r"|<style(?![^>]*nonce=)|\sstyle=\"|\son[a-z]+=\"",
        re.I,
    )
    comments = re.compile(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}|\{#.*?#\}", re.S)
    for path in (settings.BASE_DIR / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        # Template comments may name what they avoid; keep the line numbers.
        text = comments.sub(lambda m: "\n" * m.group(0).count("\n"), text)
        for n, line in enumerate(text.splitlines(), 1):
            if inline.search(line):
                offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{n}: {line.strip()}")
    assert offenders == []


# --- other headers and the language cookie ---------------------------------------------------
def test_permissions_policy_on_every_page(client):
    for url in ("/", "/akun/masuk/", "/admin/login/"):
        policy = client.get(url)["Permissions-Policy"]
        assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy


def test_language_cookie_is_lax_httponly_and_secure_with_the_session_cookie(client, settings):
    settings.SESSION_COOKIE_SECURE = settings.LANGUAGE_COOKIE_SECURE = True
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert cookie["samesite"] == "Lax" and cookie["secure"] and cookie["httponly"]


def test_production_settings_tie_the_language_cookie_to_the_session_cookie():
    source = (settings.BASE_DIR / "sipi" / "settings.py").read_text()
    assert "LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE" in source


def test_public_pages_keep_their_own_caching(client):
    assert "no-store" not in client.get("/").get("Cache-Control", "")


def test_an_officials_every_page_is_no_store(client, superuser):
    """An official's pages may show what the public does not (the admin bar, scope)."""
    client.force_login(superuser)
    assert "no-store" in client.get("/")["Cache-Control"]


# --- no-store: a walk over every portal and admin URL ------------------------------------------
def _first_pk(model) -> str:
    obj = model._default_manager.order_by("pk").first()
    return str(obj.pk) if obj is not None else "0"


class Filler:
    """Values for the URL parameters, from the objects the fixtures made."""

    def __init__(self, owner, unit, product, request_obj, superuser):
        from certifications.models import RequestKind
        from products.models import MarketplaceLink, ProductPhoto

        self.owner, self.superuser = owner, superuser
        photo = ProductPhoto.objects.filter(product=product).first()
        link = MarketplaceLink.objects.filter(product=product).first()
        document = request_obj.documents.first()
        self.portal = {
            "unit_edit": unit.pk,
            "product_create": unit.pk,
            "product_edit": product.pk,
            "photo_add": product.pk,
            "photo_delete": photo.pk if photo else 0,
            "link_add": product.pk,
            "link_delete": link.pk if link else 0,
            "request_detail": request_obj.pk,
            "request_edit": request_obj.pk,
            "request_submit": request_obj.pk,
            "request_withdraw": request_obj.pk,
            "document_delete": document.pk,
            "document_download": document.pk,
        }
        self.values = {
            "code": "61.03",
            "kind": RequestKind.values[0],
            "uidb64": "MQ",
            "token": "bukan-token",
            "fmt": "json",
            "verb": "periksa",
            "id": str(superuser.pk),
        }

    def fill(self, name: str, route: str) -> str:
        route = route.replace("^([^/]+)/history/([^/]+)/$", "{pk}/history/{history}/")
        route = re.sub(r"\^\(\?P<app_label>[^)]*\)/\$", "ikm/", route)
        route = route.replace("(?P<url>.*)$", "tidak-ada/")
        model = None
        m = re.match(r"admin/(\w+)/(\w+)/", route)
        if m:
            try:
                model = apps.get_model(m.group(1), m.group(2))
            except LookupError:
                model = None

        def value(match):
            param = match.group(2)
            if param in ("object_id", "pk") and route.startswith("admin/r/"):
                return str(unit_pk_for_view_on_site)
            if param == "object_id" and model is not None:
                return _first_pk(model)
            if param in ("pk", "unit_pk") and name in self.portal:
                return str(self.portal[name])
            if param == "pk" and model is not None:
                return _first_pk(model)
            if param == "content_type_id":
                return str(ContentType.objects.get_for_model(type(self.unit)).pk)
            if param == "job_id":
                from jobs.models import Job

                return _first_pk(Job)
            return str(self.values.get(param, "0"))

        unit_pk_for_view_on_site = self.unit.pk
        url = "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route)
        if "{pk}" in url and model is not None:
            obj = model._default_manager.order_by("pk").first()
            history = obj.history.order_by("pk").first() if obj is not None else None
            url = url.replace("{pk}", str(obj.pk if obj else 0)).replace(
                "{history}", str(history.pk if history else 0)
            )
        return url


@pytest.fixture
def filler(owner, unit_a, product_a, request_a, superuser):
    from ikm.models import Sentra, UnitClaim
    from products.models import MarketplaceLink
    from tests.factories import CertificationFactory

    MarketplaceLink.objects.create(
        product=product_a, platform="shopee", url="https://shopee.co.id/x"
    )
    UnitClaim.objects.create(unit=unit_a, user=owner)
    CertificationFactory(unit=unit_a)
    Sentra.objects.create(name="Sentra Lempok", desa=unit_a.desa, commodity_group="makanan")
    f = Filler(owner, unit_a, product_a, request_a, superuser)
    f.unit = unit_a
    return f


def _walk(client, filler, namespace):
    patterns = url_patterns(namespace)
    # Log-out pages last: they end the session the walk runs in.
    patterns.sort(key=lambda p: ("logout" in p[0] or "keluar" in p[1], p))
    seen = []
    for name, route in patterns:
        url = filler.fill(name, route)
        response = client.get(url)
        seen.append((url, response.status_code, response.get("Cache-Control", "")))
    return patterns, seen


def test_every_portal_url_is_no_store(client, filler):
    client.force_login(filler.owner)
    patterns, seen = _walk(client, filler, "portal")
    assert len(seen) == len(patterns) >= 25
    assert [s for s in seen if "no-store" not in s[2] or s[1] >= 500] == []
    ok = {url for url, status, _cc in seen if status == 200}
    # The pages the issue names render (and so carry the header with their personal data).
    for name, args in (
        ("portal:dashboard", []),
        ("portal:unit_edit", [filler.portal["unit_edit"]]),
        ("portal:request_detail", [filler.portal["request_detail"]]),
        ("portal:password_change", []),
    ):
        assert reverse(name, args=args) in ok


def test_every_admin_url_is_no_store(client, filler):
    client.force_login(filler.superuser)
    patterns, seen = _walk(client, filler, "admin")
    assert len(seen) == len(patterns) >= 150
    assert [s for s in seen if "no-store" not in s[2] or s[1] >= 500] == []
    ok = [url for url, status, _cc in seen if status == 200]
    assert len(ok) >= 60  # the pages really rendered, with their data (others: 403/404/405)
    for name, args in (
        ("admin:index", []),
        ("admin:password_change", []),
        ("admin:ikm_ikmunit_changelist", []),
        ("admin:ikm_ikmunit_change", [filler.unit.pk]),
        ("admin:products_product_changelist", []),
        ("admin:certifications_request_changelist", []),
        ("admin:auth_user_changelist", []),
    ):
        assert reverse(name, args=args) in ok, name
