"""The hardening issue 4 needs: a Content-Security-Policy without 'unsafe-inline' on real pages,
secure cookies and HSTS in production, and bounded request bodies."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from disrupt.conftest import Cast
from disrupt.core.tests.test_settings import PRODUCTION_ENV, run_disrupt

PAGES = ["/", "/enquiries/", "/search/?q=plan", "/notifications/", "/plans/", "/audit/"]


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def test_the_sign_in_page_carries_a_policy_without_inline_code(client: Client, db: Any) -> None:
    response = client.get("/login/")
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


@pytest.mark.parametrize("url", PAGES)
def test_signed_in_pages_carry_it_and_need_no_inline_code(cast: Cast, client: Client, url: str) -> None:
    client.force_login(cast.secretariat)
    response = client.get(url)
    assert response.status_code == 200, url
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header
    page = response.content.decode()
    # Inline code would be blocked by the policy: every script has a src, no element a style.
    assert "<script>" not in page and "<script " not in page.replace("<script src=", "")
    assert " style=" not in page and "<style" not in page
    assert " onclick=" not in page and " onload=" not in page


def test_no_setting_allows_inline_code() -> None:
    for name, sources in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"].items():
        assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources, name


def test_production_sends_cookies_over_https_only_and_asks_for_hsts(tmp_path: Path) -> None:
    names = [
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_NAME",
        "CSRF_COOKIE_NAME",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_SSL_REDIRECT",
        "TWO_FACTOR_ENFORCED",
    ]
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    result = run_disrupt("shell", "-c", code, env=PRODUCTION_ENV, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["SESSION_COOKIE_SECURE"] is True and values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    # The __Host- prefix: the browser keeps the cookie only for this host, over HTTPS, for path /.
    assert values["SESSION_COOKIE_NAME"].startswith("__Host-") and values["CSRF_COOKIE_NAME"].startswith(
        "__Host-"
    )
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000 and values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["TWO_FACTOR_ENFORCED"] is True


def test_production_answers_with_the_headers_on_a_real_page(tmp_path: Path) -> None:
    code = (
        "from django.test import Client; "
        "r = Client().get('/login/', secure=True, headers={'host': 'disrupt.example.org'}); "
        "print(r.status_code); print(r['Strict-Transport-Security']); print(r['Content-Security-Policy'])"
    )
    # Production serves hashed asset names from the manifest that collectstatic writes.
    collected = run_disrupt("collectstatic", "--noinput", env=PRODUCTION_ENV, tmp_path=tmp_path)
    assert collected.returncode == 0, collected.stderr
    result = run_disrupt("shell", "-c", code, env=PRODUCTION_ENV, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    status, hsts, csp = result.stdout.strip().splitlines()[-3:]
    assert status == "200"
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts
    assert "unsafe-inline" not in csp and "script-src 'self'" in csp


def test_request_bodies_are_bounded() -> None:
    # Form fields are read into memory: a few megabytes at most. Files above the memory limit go
    # to a temporary file, and attachments have their own limit (exchange/attachments.py).
    assert 0 < settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 10 * 1024 * 1024
    assert 0 < settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert 0 < settings.MAX_UPLOAD_BYTES <= 100 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS is not None


def test_a_body_above_the_limit_is_refused_not_a_server_error(client: Client, db: Any) -> None:
    too_big = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post("/login/", {"username": "someone@example.org", "password": too_big})
    assert response.status_code == 400
