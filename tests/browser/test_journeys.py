"""Journeys through a real headless Chromium: a volunteer on a phone, a curator, scope
and the language switch. Every wait is explicit; nothing sleeps.

Screenshots of the phone-sized pages go to <tmp>/naikkelas-shots/, outside the repo, for
a person to look at the layout.
"""

import base64
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import BALEARJOSARI, NIK_WOMAN, PASSWORD, SUKUN_KELURAHAN
from naikkelas.registry import services
from naikkelas.registry.models import Business, Status

from .conftest import WAIT_SECONDS

pytestmark = pytest.mark.browser

SHOTS = Path(tempfile.gettempdir()) / "naikkelas-shots"
# Kecamatan Blimbing, day 32: no man (1-31) or woman (41-71) is born on it.
BAD_NIK = "3573013202900001"
PHONE_TYPED = "0812-3456-7890"
PHONE_CLEAR = ("081234567890", "+6281234567890", "6281234567890", PHONE_TYPED)


def _wait(driver: Any) -> WebDriverWait:
    return WebDriverWait(driver, WAIT_SECONDS)


def _in_indonesian(message: str) -> str:
    """What the server says by default, compiled catalogue or not."""
    with translation.override("id"):
        return gettext(message)


def _gone(element: Any) -> Any:
    """True once the element has left the document. Mid-navigation ChromeDriver may say so
    with an inspector error ("does not belong to the document") instead of a stale
    element reference; both mean the old page is gone."""

    def check(_driver: Any) -> bool:
        try:
            element.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as e:
            if "does not belong to the document" in str(e):
                return True
            raise
        return False

    return check


def _click_and_load(driver: Any, element: Any) -> None:
    """Click something that loads a new page and wait until that page is there."""
    old = driver.find_element(By.TAG_NAME, "html")
    element.click()
    _wait(driver).until(_gone(old))
    _wait(driver).until(lambda d: d.execute_script("return document.readyState") == "complete")


def _login(driver: Any, live_server: Any, username: str) -> None:
    driver.get(live_server.url + reverse("login"))
    driver.find_element(By.ID, "id_username").send_keys(username)
    driver.find_element(By.ID, "id_password").send_keys(PASSWORD)
    _click_and_load(driver, driver.find_element(By.CSS_SELECTOR, "main button[type=submit]"))
    assert reverse("login") not in driver.current_url, "login failed"


def _no_horizontal_scroll(driver: Any) -> bool:
    return driver.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth + 1"
    )


def _screenshot(driver: Any, name: str) -> None:
    """The visible viewport, and the whole page as one tall image."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SHOTS / f"{name}.png"))
    width, height = driver.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
        },
    )
    (SHOTS / f"{name}-full.png").write_bytes(base64.b64decode(shot["data"]))


def _type(driver: Any, field_id: str, text: str) -> None:
    field = driver.find_element(By.ID, field_id)
    field.clear()
    field.send_keys(text)


def _status_badge(driver: Any) -> Any:
    return driver.find_element(By.ID, "status")


def test_it_registers_and_submits_a_business_on_a_phone(
    transactional_db, live_server, browser, volunteer
):
    browser.set_window_size(390, 844)
    _login(browser, live_server, volunteer.username)

    register = browser.find_element(
        By.CSS_SELECTOR, f".topbar .nav a[href='{reverse('business_create')}']"
    )
    _click_and_load(browser, register)
    assert browser.current_url == live_server.url + reverse("business_create")
    assert browser.execute_script("return window.innerWidth") <= 390
    assert _no_horizontal_scroll(browser), "the form scrolls sideways on a phone"
    # The volunteer works in one kelurahan, so it is chosen already.
    kelurahan = Select(browser.find_element(By.ID, "id_kelurahan"))
    assert kelurahan.first_selected_option.get_attribute("value") == BALEARJOSARI

    _type(browser, "id_name", "Keripik Tempe Bu Siti")
    _type(browser, "id_owner_name", "Siti Aminah")
    _type(browser, "id_nik", BAD_NIK)
    _type(browser, "id_phone", PHONE_TYPED)
    _type(browser, "id_kbli", "10792")
    _type(browser, "id_rw", "2")
    _type(browser, "id_rt", "3")
    _screenshot(browser, "phone-form-filled")
    _click_and_load(browser, browser.find_element(By.CSS_SELECTOR, ".actions button[type=submit]"))

    # Back on the form, with the error next to the NIK and only there.
    assert browser.current_url == live_server.url + reverse("business_create")
    nik_field = browser.find_element(
        By.XPATH, "//div[contains(@class, 'field')][.//input[@id='id_nik']]"
    )
    assert "has-error" in nik_field.get_attribute("class").split()
    marked = [
        e.find_element(By.CSS_SELECTOR, "input, select, textarea").get_attribute("id")
        for e in browser.find_elements(By.CSS_SELECTOR, ".has-error")
    ]
    assert marked == ["id_nik"]
    assert nik_field.find_element(By.ID, "id_nik-error").text == _in_indonesian(
        "NIK holds a birth date that does not exist."
    )
    assert browser.find_element(By.CSS_SELECTOR, ".error-box[role=alert]").is_displayed()
    assert not Business.objects.exists()
    # What was typed survives, so only the NIK needs fixing.
    assert browser.find_element(By.ID, "id_name").get_attribute("value") == "Keripik Tempe Bu Siti"
    assert Select(browser.find_element(By.ID, "id_kelurahan")).first_selected_option.get_attribute(
        "value"
    ) == (BALEARJOSARI)
    assert _no_horizontal_scroll(browser)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", nik_field)
    _screenshot(browser, "phone-form-error")

    _type(browser, "id_nik", NIK_WOMAN)
    _click_and_load(browser, browser.find_element(By.CSS_SELECTOR, ".actions button[type=submit]"))

    business = Business.objects.get()
    assert browser.current_url == live_server.url + reverse("business_detail", args=[business.pk])
    assert business.name == "Keripik Tempe Bu Siti"
    assert business.kelurahan_id == BALEARJOSARI
    assert (business.kbli, business.rw, business.rt) == ("10792", 2, 3)
    assert business.status == Status.DRAFT
    assert business.owner.nik == NIK_WOMAN
    assert browser.find_element(By.ID, "nik").text == "************0002"
    assert browser.find_element(By.ID, "phone").text == "08******7890"
    source = browser.page_source
    assert NIK_WOMAN not in source
    for phone in PHONE_CLEAR:
        assert phone not in source
    assert _no_horizontal_scroll(browser), "the detail page scrolls sideways on a phone"
    _screenshot(browser, "phone-detail")

    submit = browser.find_element(
        By.CSS_SELECTOR,
        f"form[action='{reverse('business_transition', args=[business.pk, 'submit'])}'] button",
    )
    _click_and_load(browser, submit)

    business.refresh_from_db()
    assert business.status == Status.SUBMITTED
    badge = _status_badge(browser)
    assert "status-submitted" in badge.get_attribute("class").split()
    with translation.override("id"):
        assert badge.text == str(Status.SUBMITTED.label)
    # Once submitted, there is nothing left to submit.
    assert not browser.find_elements(By.CSS_SELECTOR, f"form[action$='/{business.pk}/submit/']")


@pytest.fixture
def submitted(transactional_db, admin, make_business):
    def make(name: str) -> Business:
        return services.submit_business(admin, make_business(name=name))

    return make


def test_it_verifies_from_the_queue_and_returns_from_the_detail_page(
    transactional_db, live_server, browser, curator, submitted
):
    to_verify = submitted("Keripik Tempe Sanan")
    to_return = submitted("Rotan Balearjosari")
    _login(browser, live_server, curator.username)

    # A curator's home is the curation queue.
    assert browser.current_url == live_server.url + reverse("curation_queue")
    item = browser.find_element(By.ID, f"queue-{to_verify.pk}")
    assert "Keripik Tempe Sanan" in item.text
    assert browser.find_elements(By.ID, f"queue-{to_return.pk}")
    _click_and_load(browser, item.find_element(By.CSS_SELECTOR, "form[action$='/verify/'] button"))

    assert browser.current_url == live_server.url + reverse("curation_queue")
    to_verify.refresh_from_db()
    assert to_verify.status == Status.VERIFIED
    assert not browser.find_elements(By.ID, f"queue-{to_verify.pk}")
    assert browser.find_elements(By.ID, f"queue-{to_return.pk}")

    browser.get(live_server.url + reverse("business_detail", args=[to_return.pk]))
    return_form = browser.find_element(By.CSS_SELECTOR, "form[action$='/return/']")
    details = return_form.find_element(By.XPATH, "ancestor::details[1]")
    reason = return_form.find_element(By.CSS_SELECTOR, "textarea[name=reason]")
    assert not reason.is_displayed()
    details.find_element(By.TAG_NAME, "summary").click()
    _wait(browser).until(EC.visibility_of(reason))
    reason.send_keys("Foto usaha belum ada")
    _click_and_load(browser, return_form.find_element(By.CSS_SELECTOR, "button[type=submit]"))

    to_return.refresh_from_db()
    assert to_return.status == Status.RETURNED
    assert to_return.status_reason == "Foto usaha belum ada"
    assert "status-returned" in _status_badge(browser).get_attribute("class").split()
    assert "Foto usaha belum ada" in browser.find_element(By.CSS_SELECTOR, "p.notice").text


def test_it_answers_404_for_a_business_outside_the_volunteers_kelurahan(
    transactional_db, live_server, browser, volunteer, make_business
):
    own = make_business(name="Tempe Balearjosari")
    other = make_business(kelurahan=SUKUN_KELURAHAN, name="Keripik Rahasia Sukun")
    _login(browser, live_server, volunteer.username)

    # The same URL shape works for the volunteer's own kelurahan...
    browser.get(live_server.url + reverse("business_detail", args=[own.pk]))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Tempe Balearjosari"

    # ...and one in Sukun does not exist for them.
    browser.get(live_server.url + reverse("business_detail", args=[other.pk]))
    assert "Keripik Rahasia Sukun" not in browser.page_source
    not_found = re.compile(r"not found|tidak ditemukan", re.IGNORECASE)
    assert not_found.search(browser.title)
    assert not_found.search(browser.find_element(By.TAG_NAME, "body").text)
    assert not browser.find_elements(By.ID, "status")

    browser.get(live_server.url + reverse("business_list"))
    assert "Tempe Balearjosari" in browser.page_source
    assert "Keripik Rahasia Sukun" not in browser.page_source


def test_it_switches_the_interface_to_english(transactional_db, live_server, browser, volunteer):
    _login(browser, live_server, volunteer.username)
    html = browser.find_element(By.TAG_NAME, "html")
    assert html.get_attribute("lang") == "id"
    page = browser.current_url

    _click_and_load(browser, browser.find_element(By.CSS_SELECTOR, ".lang button[value=en]"))

    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert browser.current_url == page
    en = browser.find_element(By.CSS_SELECTOR, ".lang button[value=en]")
    assert en.get_attribute("aria-current") == "true"
    assert browser.find_element(By.CSS_SELECTOR, "main h1").text == "Businesses"
    # The choice sticks for the next page.
    browser.get(live_server.url + reverse("business_create"))
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"

    _click_and_load(browser, browser.find_element(By.CSS_SELECTOR, ".lang button[value=id]"))
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "id"


def test_it_gives_every_field_on_the_detail_page_its_own_id(
    transactional_db, live_server, browser, curator, submitted
):
    business = submitted("Keripik Tempe Sanan")
    _login(browser, live_server, curator.username)
    browser.get(live_server.url + reverse("business_detail", args=[business.pk]))
    assert browser.find_elements(By.CSS_SELECTOR, "form[action$='/archive/'] textarea")

    repeated = browser.execute_script(
        """
        const seen = {};
        for (const el of document.querySelectorAll('[id]')) seen[el.id] = (seen[el.id] || 0) + 1;
        return Object.keys(seen).filter((id) => seen[id] > 1).sort();
        """
    )
    assert repeated == []
