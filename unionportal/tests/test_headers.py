"""Security headers a browser sees: CSP without unsafe-inline, nosniff, referrer, no-store, HSTS."""

import importlib
import re
import sys

import pytest
from django.test import override_settings
from django.urls import reverse


def _csp(response) -> str:
    return response.headers.get("Content-Security-Policy", "")


@pytest.mark.django_db
def test_login_page_headers(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    csp = _csp(response)
    assert csp, "no Content-Security-Policy header"
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    # Django adds 'nonce-...' only to responses whose template used {{ csp_nonce }}.
    assert re.search(r"script-src 'self'( 'nonce-[A-Za-z0-9+/=_-]+')?;", csp)
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    # The login form itself carries no personal data but must not be cached either (CSRF token).
    assert "no-store" in response.headers["Cache-Control"]


def test_pages_with_personal_data_are_not_stored(org, users, login):
    client = login(users.officer_a)
    for url in (
        reverse("home"),
        reverse("members:member-list"),
        reverse("members:member-detail", args=[org.member_a.pk]),
        reverse("grassroots:grassroots-detail", args=[org.grassroots_a.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response.headers["Cache-Control"], url
        assert "unsafe-inline" not in _csp(response), url


def test_inline_scripts_carry_the_nonce_of_the_response(users, login):
    """Every <script> in a page either loads a file from 'self' or carries this response's nonce."""
    response = login(users.staff).get(reverse("home"))
    html = response.content.decode()
    found = re.search(r"'nonce-([^']+)'", _csp(response))
    nonce = found.group(1) if found else None
    for tag in re.findall(r"<(?:script|style)\b[^>]*>", html):
        assert "src=" in tag or (nonce and f'nonce="{nonce}"' in tag), tag
    assert ' style="' not in html, "inline style attributes are blocked by the CSP"


@override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
def test_static_files_are_cacheable(client):
    """no-store is for pages; vendored CSS/JS may be cached (they hold no personal data)."""
    from django.conf import settings

    response = client.get("/" + settings.STATIC_URL.lstrip("/") + "css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


@pytest.fixture
def production_settings(monkeypatch):
    """The production settings module, imported with a throwaway secret key."""
    monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 60)
    sys.modules.pop("unionportal.settings.production", None)
    module = importlib.import_module("unionportal.settings.production")
    yield module
    sys.modules.pop("unionportal.settings.production", None)


def test_production_turns_on_hsts_and_secure_cookies(production_settings):
    assert production_settings.DEBUG is False
    assert production_settings.SECURE_HSTS_SECONDS >= 365 * 24 * 3600
    assert production_settings.SECURE_HSTS_INCLUDE_SUBDOMAINS is True
    assert production_settings.SESSION_COOKIE_SECURE is True
    assert production_settings.CSRF_COOKIE_SECURE is True
    assert production_settings.SECURE_SSL_REDIRECT is True


@pytest.mark.django_db
def test_hsts_header_is_sent_over_https_with_production_values(client, production_settings):
    with override_settings(
        SECURE_HSTS_SECONDS=production_settings.SECURE_HSTS_SECONDS,
        SECURE_HSTS_INCLUDE_SUBDOMAINS=production_settings.SECURE_HSTS_INCLUDE_SUBDOMAINS,
        SECURE_HSTS_PRELOAD=production_settings.SECURE_HSTS_PRELOAD,
    ):
        response = client.get(reverse("login"), secure=True)
    hsts = response.headers["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts
    assert "includeSubDomains" in hsts
