"""The Content Security Policy in a real browser: pages with htmx, the business form's
location script and Swagger UI run with no violation reported."""

from typing import Any

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from conftest import PASSWORD

pytestmark = pytest.mark.browser

# Installed by the browser itself before any page script runs, so the policy cannot
# block it; it keeps every violation the page reports.
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture
def watched(browser: Any) -> Any:
    script = browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": WATCH})
    yield browser
    browser.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", script)


def _violations(driver: Any) -> list[str]:
    return driver.execute_script("return window.__violations")


def _wait(driver: Any, condition: Any) -> None:
    WebDriverWait(driver, 15).until(condition)


def test_pages_run_under_the_policy_without_violations(
    transactional_db, live_server, watched, volunteer, make_business
):
    make_business(name="Keripik Tempe Sanan")
    seen: dict[str, list[str]] = {}

    watched.get(live_server.url + reverse("login"))
    watched.find_element(By.ID, "id_username").send_keys(volunteer.username)
    watched.find_element(By.ID, "id_password").send_keys(PASSWORD)
    watched.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
    _wait(watched, lambda d: reverse("login") not in d.current_url)
    seen["login"] = _violations(watched)

    # htmx: the duplicate warning comes as the name changes.
    watched.get(live_server.url + reverse("business_create"))
    name = watched.find_element(By.ID, "id_name")
    name.send_keys("Keripik Tempe Sanan", Keys.TAB)
    _wait(watched, lambda d: "Keripik Tempe Sanan" in d.find_element(By.ID, "duplicates").text)
    # The location button's script is a static file: it runs (the browser has no
    # location, so it says so on the button).
    button = watched.find_element(By.ID, "use-location")
    watched.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()
    _wait(
        watched,
        lambda d: d.find_element(By.ID, "use-location").text == button.get_attribute("data-error"),
    )
    seen["form"] = _violations(watched)

    watched.get(live_server.url + "/api/v1/docs/")
    _wait(watched, lambda d: d.find_elements(By.CSS_SELECTOR, ".swagger-ui .opblock"))
    seen["api docs"] = _violations(watched)

    assert seen == {"login": [], "form": [], "api docs": []}
