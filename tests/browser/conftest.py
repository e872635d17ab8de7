"""A real headless Chromium against pytest-django's live server.

The browser starts once per session; each test gets it with no cookies and a desktop
window. Transactional tests flush the database afterwards, so every test puts the
reference data back first (`reference_data`).
"""

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WAIT_SECONDS = 15


@pytest.fixture(autouse=True)
def _reference_data(reference_data: None) -> None:
    """Every journey commits through the live server; see the root conftest."""


@pytest.fixture(scope="session")
def _chromium() -> Iterator[Any]:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        pytest.skip(f"browser journeys need Debian's chromium and chromedriver: missing {missing}")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="naikkelas-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        # A volunteer's phone asks for Indonesian; Chromium would otherwise send en-US
        # and LocaleMiddleware would answer in English.
        "--lang=id",
        "--accept-lang=id-ID,id",
    ):
        options.add_argument(arg)
    options.add_experimental_option(
        "prefs",
        {
            "intl.accept_languages": "id-ID,id",
            # No password-manager bubbles over the page after a login.
            "credentials_enable_service": False,
            "profile.password_manager_enabled": False,
            "profile.password_manager_leak_detection": False,
        },
    )
    # An explicit driver path keeps Selenium Manager from looking for (or downloading) one.
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def browser(_chromium: Any, live_server: Any) -> Any:
    """The session's browser, logged out, on a desktop-sized window."""
    _chromium.get(live_server.url + "/accounts/login/")
    _chromium.delete_all_cookies()
    _chromium.set_window_size(1280, 900)
    return _chromium
