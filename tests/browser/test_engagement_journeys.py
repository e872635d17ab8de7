"""Journeys of the public catalogue and the owner portal, on a phone-sized window."""

from typing import Any

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import PASSWORD
from naikkelas.accounts.models import Role, User
from naikkelas.catalog import services as catalog
from naikkelas.registry import services
from naikkelas.registry.models import Business

from .test_journeys import _click_and_load, _no_horizontal_scroll, _screenshot

pytestmark = pytest.mark.browser
NIB = "9120001234567"


def _listed(admin: Any, make_business: Any, name: str, product: str, kbli: str) -> Business:
    business = make_business(name=name, kbli=kbli, nib="")
    services.add_detail(admin, business, "product", {"name": product, "price": 18_000})
    services.submit_business(admin, business)
    business = services.verify_business(admin, business)
    catalog.set_listing(
        admin, business, listed=True, contact_kind="whatsapp", contact="0857 0000 1111"
    )
    return business


def test_it_lets_the_public_filter_the_catalogue_and_open_a_product_on_a_phone(
    transactional_db: Any, live_server: Any, browser: Any, admin: Any, make_business: Any
) -> None:
    _listed(admin, make_business, "Keripik Tempe Sanan", "Keripik Tempe Balado 250 g", "10792")
    _listed(admin, make_business, "Rotan Jaya", "Keranjang Rotan", "16291")
    browser.set_window_size(390, 844)

    browser.get(live_server.url + reverse("catalogue"))
    assert "Keranjang Rotan" in browser.page_source
    assert _no_horizontal_scroll(browser), "the catalogue scrolls sideways on a phone"
    browser.find_element(By.CSS_SELECTOR, ".more-filters summary").click()
    Select(browser.find_element(By.ID, "id_category")).select_by_value("makanan")
    _click_and_load(browser, browser.find_element(By.CSS_SELECTOR, ".filters button[type=submit]"))
    assert "category=makanan" in browser.current_url
    assert "Keranjang Rotan" not in browser.page_source
    _screenshot(browser, "phone-catalogue")

    _click_and_load(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Keripik Tempe Balado"))
    assert "Rp18.000" in browser.find_element(By.CSS_SELECTOR, ".price").text
    contact = browser.find_element(By.CSS_SELECTOR, "a[href^='https://wa.me/']")
    assert contact.get_attribute("href") == "https://wa.me/6285700001111"
    assert _no_horizontal_scroll(browser)
    _screenshot(browser, "phone-product")


def test_it_lets_an_owner_sign_in_with_the_nib_and_see_the_gaps(
    transactional_db: Any, live_server: Any, browser: Any, make_business: Any
) -> None:
    business = make_business(name="Keripik Bu Sri", nib=NIB)
    owner = User.objects.create_user("pemilik-sri", password=PASSWORD, role=Role.OWNER)
    Business.objects.filter(pk=business.pk).update(owner_account=owner)
    browser.set_window_size(390, 844)

    browser.get(live_server.url + reverse("login"))
    browser.find_element(By.ID, "id_username").send_keys(NIB)
    browser.find_element(By.ID, "id_password").send_keys(PASSWORD)
    _click_and_load(browser, browser.find_element(By.CSS_SELECTOR, "main button[type=submit]"))

    assert browser.current_url == live_server.url + reverse("portal_business", args=[business.pk])
    assert browser.find_element(By.TAG_NAME, "h1").text == "Keripik Bu Sri"
    gaps = browser.find_elements(By.CSS_SELECTOR, "#gaps li.gap")
    assert gaps, "the owner sees what is still missing"
    assert _no_horizontal_scroll(browser)
    _screenshot(browser, "phone-owner-portal")
