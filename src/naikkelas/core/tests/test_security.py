"""Secure headers and the Content Security Policy on every page, no inline script or
style in any template, and `check --deploy` clean under production settings."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

import naikkelas

pytestmark = pytest.mark.django_db

PACKAGE = Path(naikkelas.__file__).parent
INLINE = [
    ("inline script", re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)),
    ("<style> element", re.compile(r"<style\b", re.I)),
    ("style attribute", re.compile(r"\sstyle=", re.I)),
    ("event handler attribute", re.compile(r"\son[a-z]+=", re.I)),
    ("javascript: URL", re.compile(r"javascript:", re.I)),
]


def _policy(response):
    return dict(
        (part.split()[0], part.split()[1:])
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    )


def test_it_sends_the_policy_and_secure_headers(client, curator, make_business):
    business = make_business()
    pages = [client.get(reverse("login"))]
    client.force_login(curator)
    pages += [
        client.get(url)
        for url in (
            reverse("business_list"),
            reverse("business_edit", args=[business.pk]),
            "/api/v1/docs/",
        )
    ]
    for response in pages:
        url = response.request["PATH_INFO"]
        assert response.status_code == 200, url
        policy = _policy(response)
        assert policy["script-src"] == ["'self'"], url
        # Swagger UI's one inline <style> block is allowed by its hash, on its page only.
        styles = policy["style-src"]
        assert styles[0] == "'self'" and all(s.startswith("'sha256-") for s in styles[1:])
        assert len(styles) == (2 if url == "/api/v1/docs/" else 1), url
        assert policy["frame-ancestors"] == ["'none'"], url
        assert policy["object-src"] == ["'none'"], url
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]
        assert "'unsafe-eval'" not in response["Content-Security-Policy"]
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_pages_load_their_scripts_from_files(client, curator, make_business):
    client.force_login(curator)
    page = client.get(reverse("business_edit", args=[make_business().pk])).content.decode()
    assert re.search(r'<script src="/static/registry/location\.js"', page)
    docs = client.get("/api/v1/docs/").content.decode()
    (script,) = re.findall(r'<script src="([^"]*\?[^"]*script[^"]*)"', docs)
    init = client.get(script.replace("&amp;", "&"))
    assert init.status_code == 200
    assert "SwaggerUIBundle" in init.content.decode()


def test_no_template_has_inline_script_or_style():
    """The policy forbids them: a browser would silently drop them. Put JavaScript in a
    static file and styles in app.css."""
    offences = []
    for template in sorted(PACKAGE.rglob("templates/**/*.html")):
        text = template.read_text()
        for what, pattern in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                offences.append(f"{template.relative_to(PACKAGE)}:{line}: {what}")
    assert offences == []


def _production_env(tmp_path, **changes):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "NAIKKELAS_"))}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="kG7r2LxQ9vN4pZ8tW1mC6yB3hJ5sD0fA-production-like-secret-key-for-the-test",
        DJANGO_ALLOWED_HOSTS="naikkelas.malangkota.go.id",
        NAIKKELAS_PII_KEY="sSmDp2mFfy2E0ryqUQ6u3cGa8A5Tl2bOq2q5mNa6oQs=",
        NAIKKELAS_INDEX_KEY="Zl6KqQy2k1dn2A6mMUN3pN8JqvQfE3qH7eS5rXb8mTg=",
        NAIKKELAS_VAR_DIR=str(tmp_path / "var"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
    )
    env.update(changes)
    return {k: v for k, v in env.items() if v is not None}


def _deploy_check(env):
    return subprocess.run(
        [sys.executable, "-m", "naikkelas", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_deploy_check_is_clean_under_production_settings(tmp_path):
    done = _deploy_check(_production_env(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_the_deploy_check_fails_without_the_personal_data_key(tmp_path):
    done = _deploy_check(_production_env(tmp_path, NAIKKELAS_PII_KEY=None))
    assert done.returncode != 0
    assert "naikkelas.E001" in done.stderr


def _permissions(response):
    return dict(part.strip().split("=", 1) for part in response["Permissions-Policy"].split(","))


def test_it_sends_the_permissions_policy_on_every_response(client, volunteer, make_business):
    business = make_business()
    responses = [client.get(reverse("login")), client.get("/api/v1/schema/")]
    client.force_login(volunteer)
    responses += [
        # The form whose "use my current location" button needs geolocation.
        client.get(reverse("business_edit", args=[business.pk])),
        client.get("/api/v1/businesses/"),
        client.get("/tidak-ada/"),
        client.post("/api/v1/auth/token/", {}),
    ]
    for response in responses:
        url = response.request["PATH_INFO"]
        features = _permissions(response)
        assert features.pop("geolocation") == "(self)", url
        for feature in ("camera", "microphone", "payment", "usb"):
            assert features[feature] == "()", (url, feature)
        # Nothing else is granted to any origin.
        assert set(features.values()) == {"()"}, url
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 404, 400]


@pytest.mark.django_db
def test_pages_name_their_icon_so_the_browser_asks_for_no_favicon_ico(client):
    # /favicon.ico would be a 404 page whose forms set a CSRF cookie, racing the one the
    # page itself set (a login then fails its CSRF check).
    from django.contrib.staticfiles import finders

    html = client.get(reverse("login")).content.decode()
    icon = re.search(r'<link rel="icon" href="/static/([^"]+)"', html)
    assert icon is not None
    assert finders.find(icon.group(1)) is not None
