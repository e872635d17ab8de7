"""The leadership viewer opens the dashboard in a real browser: the figures, the map,
a drill-down by clicking a kelurahan on the map."""

from typing import Any

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from conftest import BALEARJOSARI

from .test_journeys import _click_and_load, _login, _wait

pytestmark = pytest.mark.browser


def test_the_leader_opens_the_dashboard_sees_the_map_and_drills_down(
    transactional_db: Any, live_server: Any, browser: Any, leader: Any, make_business: Any
) -> None:
    for n in range(3):
        make_business(name=f"Keripik Tempe Sanan {n}")
    make_business(name="Rotan Tasikmadu", kelurahan="35.73.03.1010")
    _login(browser, live_server, leader.username)

    _click_and_load(browser, browser.find_element(By.LINK_TEXT, "Dasbor"))
    assert browser.current_url.endswith(reverse("dashboard"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Dasbor pimpinan"
    figure = browser.find_element(By.CSS_SELECTOR, '[data-figure="registered"]')
    assert figure.text == "4"
    paths = browser.find_elements(By.CSS_SELECTOR, "svg.map path")
    assert len(paths) == 57
    assert all(p.is_displayed() for p in paths[:3])
    balearjosari = browser.find_element(
        By.CSS_SELECTOR, f'svg.map a[href*="kelurahan={BALEARJOSARI}"] path'
    )
    assert (
        balearjosari.find_element(By.TAG_NAME, "title").get_attribute("textContent")
        == "Balearjosari: 3"
    )

    # City, then kecamatan Blimbing from its row, then Balearjosari on the map.
    _click_and_load(browser, browser.find_element(By.LINK_TEXT, "Blimbing"))
    assert "wilayah=35.73.01" in browser.current_url
    assert browser.find_element(By.CSS_SELECTOR, '[data-figure="registered"]').text == "3"
    path = browser.find_element(
        By.CSS_SELECTOR, f'svg.map a[href*="kelurahan={BALEARJOSARI}"] path'
    )
    _wait(browser).until(EC.element_to_be_clickable(path))
    _click_and_load(browser, path)
    assert reverse("business_list") in browser.current_url
    names = {e.text for e in browser.find_elements(By.CSS_SELECTOR, "#results .row a strong")}
    assert {f"Keripik Tempe Sanan {n}" for n in range(3)} <= names
    assert "Rotan Tasikmadu" not in names
