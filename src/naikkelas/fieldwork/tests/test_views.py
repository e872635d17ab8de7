"""The offline app's manifest, service worker and page shells, through the web client."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from naikkelas.fieldwork import views

PAGES = list(views.PAGES)


def _shipped(url: str) -> bool:
    """A static file's URL names a file the project ships (tests run with DEBUG off, so
    WhiteNoise does not serve from the apps' folders)."""
    return finders.find(url.removeprefix(settings.STATIC_URL)) is not None


def test_it_serves_the_manifest_with_both_icons(client: Any, db: Any) -> None:
    answer = client.get("/manifest.webmanifest")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/manifest+json"
    manifest = json.loads(answer.content)
    assert manifest["scope"] == "/"
    assert manifest["start_url"] == reverse("field_home")
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert _shipped(icon["src"])


def test_it_serves_the_service_worker_at_the_root_never_cached(client: Any, db: Any) -> None:
    answer = client.get("/sw.js")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/javascript; charset=utf-8"
    assert "no-cache" in answer["Cache-Control"] and "max-age=0" in answer["Cache-Control"]
    body = answer.content.decode()
    assert f'var VERSION = "{views.version()}";' in body
    for page in PAGES:
        assert f'"{reverse(page)}"' in body
    # Every file the worker keeps exists, or its install would fail on the phone.
    for asset in json.loads(body.split("var ASSETS = ", 1)[1].split(";\n", 1)[0]):
        assert _shipped(asset), asset


def test_its_version_changes_with_the_release(settings: Any, db: Any) -> None:
    first = views.version()
    settings.NAIKKELAS_APP_RELEASE = "another"
    assert views.version() != first


def test_every_server_process_gives_the_same_version() -> None:
    """gunicorn's workers are separate processes, each with its own string hashing: a
    version that differed between them would reinstall the worker on the phones."""
    script = "import django; django.setup(); from naikkelas.fieldwork import views; print(views.version())"
    found = {
        subprocess.run(
            [sys.executable, "-c", script], check=True, capture_output=True, text=True,
            env={**os.environ, "PYTHONHASHSEED": seed,
                 "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "naikkelas.settings")},
        ).stdout.strip()
        for seed in ("1", "2", "3", "4")
    }  # fmt: skip
    assert len(found) == 1, found


def test_a_change_to_an_included_template_changes_the_version(
    tmp_path: Path, monkeypatch: Any
) -> None:
    first = views.version()
    copy = tmp_path / "fieldwork"
    copy.mkdir()
    for template in views.TEMPLATES.glob("*"):
        (copy / template.name).write_bytes(template.read_bytes())
    (copy / "_input.html").write_bytes((copy / "_input.html").read_bytes() + b"\n")
    monkeypatch.setattr(views, "TEMPLATES", copy)
    assert views.version() != first


@pytest.mark.parametrize("page", PAGES)
def test_it_shows_each_shell_to_a_volunteer(client: Any, volunteer: Any, page: str) -> None:
    client.force_login(volunteer)
    answer = client.get(reverse(page))
    assert answer.status_code == 200
    assert b'id="field-app"' in answer.content
    assert b'id="field-strings"' in answer.content
    assert "no-cache" in answer["Cache-Control"]


def test_it_sends_a_stranger_to_the_login_page(client: Any, db: Any) -> None:
    answer = client.get(reverse("field_home"))
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["leader", "bank", "owner_user"])
def test_it_refuses_a_role_that_registers_nothing(client: Any, persona: str, request: Any) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("field_home")).status_code == 403


def test_the_register_shell_speaks_indonesian_by_default(client: Any, volunteer: Any) -> None:
    client.force_login(volunteer)
    body = client.get(reverse("field_register")).content.decode()
    assert "Kirim" in client.get(reverse("field_home")).content.decode()
    strings = json.loads(
        body.split('id="field-strings" type="application/json">', 1)[1].split("<", 1)[0]
    )
    assert strings["waiting"] == "%(n)s menunggu dikirim"


def test_the_base_template_links_the_app_for_volunteers_only(
    client: Any, volunteer: Any, leader: Any
) -> None:
    client.force_login(volunteer)
    assert b'rel="manifest"' in client.get(reverse("business_list")).content
    client.force_login(leader)
    assert b'rel="manifest"' not in client.get(reverse("business_list")).content


def test_logging_out_tells_the_browser_to_clear_the_site(client: Any, volunteer: Any) -> None:
    client.force_login(volunteer)
    answer = client.post(reverse("logout"))
    assert answer["Clear-Site-Data"] == '"cache", "storage"'


def test_the_app_speaks_english_when_asked(client: Any, volunteer: Any) -> None:
    client.force_login(volunteer)
    body = client.get(reverse("field_home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Send now" in body
    strings = json.loads(
        body.split('id="field-strings" type="application/json">', 1)[1].split("<", 1)[0]
    )
    assert strings["waiting"] == "%(n)s waiting to be sent"


def test_the_app_checks_against_bodies_the_rules_endpoint_serves(
    client: Any, volunteer: Any
) -> None:
    """The forms and app.js name the write bodies whose rules they check; a name the
    server does not serve would skip the checks without a word."""
    from naikkelas.api.rules import INPUTS

    script = (Path(views.__file__).parent / "static/fieldwork/app.js").read_text()
    children = re.search(r"var CHILDREN = \{(.*?)\};", script)
    assert children is not None
    named = set(re.findall(r'"(\w+)"', children.group(1)))
    client.force_login(volunteer)
    for page in PAGES:
        named |= set(re.findall(r'data-input="(\w+)"', client.get(reverse(page)).content.decode()))
    assert named == {"BusinessWrite", "FinancialRecordWrite", "Legality", "Product",
                     "VisitWrite", "ComplaintWrite"}  # fmt: skip
    assert named <= set(INPUTS)
