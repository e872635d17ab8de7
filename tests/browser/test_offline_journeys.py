"""The volunteer's offline app (fieldwork) in a real headless Chromium on a phone-sized
window, with the network really cut (tests/browser/network.py says how and why).

Each journey gets its own relay, so its own origin: its service worker, caches and
IndexedDB start empty even though the browser is shared.
"""

import io
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from PIL import Image
from selenium.common.exceptions import NoAlertPresentException, TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import BALEARJOSARI, NIK_MAN, NIK_WOMAN
from naikkelas.core.models import AuditEntry
from naikkelas.engagement.models import Complaint, Visit
from naikkelas.fieldwork import views as fieldwork
from naikkelas.registry import services
from naikkelas.registry.models import Business, Status

from .conftest import WAIT_SECONDS
from .network import Relay
from .test_csp import WATCH
from .test_journeys import _login, _screenshot

pytestmark = pytest.mark.browser
DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def relay(live_server: Any) -> Iterator[Relay]:
    host, port = live_server.thread.host, live_server.thread.port
    found = Relay(host, port)
    yield found
    found.stop()


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    browser.set_window_size(390, 844)
    yield browser
    # Back online for the next test, whatever this one left.
    for handle in browser.window_handles[1:]:
        browser.switch_to.window(handle)
        browser.close()
    browser.switch_to.window(browser.window_handles[0])
    _emulate(browser, offline=False)


def _wait(driver: Any, condition: Any, seconds: float = WAIT_SECONDS) -> Any:
    return WebDriverWait(driver, seconds).until(condition)


def _emulate(driver: Any, *, offline: bool) -> None:
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {"offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )


def _offline(driver: Any, relay: Relay) -> None:
    relay.cut()
    _emulate(driver, offline=True)
    _wait(driver, lambda d: d.execute_script("return navigator.onLine") is False)


def _online(driver: Any, relay: Relay) -> None:
    relay.restore()
    _emulate(driver, offline=False)


def _open(driver: Any, url: str) -> None:
    """Open an app page and wait until its script has read the phone's store."""
    driver.get(url)
    _wait(driver, lambda d: d.execute_script(
        "var a = document.getElementById('field-app'); return !!(a && a.dataset.ready)"
    ))  # fmt: skip


def _installed(driver: Any) -> None:
    """Wait until the service worker controls the page and keeps every page's shell."""
    pages = [reverse(name) for name in fieldwork.PAGES]
    script = """
        var pages = arguments[0], done = arguments[arguments.length - 1];
        navigator.serviceWorker.getRegistration().then(function (r) {
          if (!r || !r.active || r.active.state !== "activated") { return false; }
          return Promise.all(pages.map(function (p) { return caches.match(p); }))
            .then(function (found) { return found.every(Boolean); });
        }).then(done, function () { done(false); });
    """
    state = """
        var pages = arguments[0], done = arguments[arguments.length - 1];
        navigator.serviceWorker.getRegistration().then(function (r) {
          var workers = r ? ["installing", "waiting", "active"].map(function (k) {
            return k + "=" + (r[k] ? r[k].state : "none"); }).join(" ") : "no registration";
          return Promise.all(pages.map(function (p) { return caches.match(p); }))
            .then(function (found) {
              done(workers + "; controlled=" + !!navigator.serviceWorker.controller
                + "; pages not kept: " + pages.filter(function (p, i) { return !found[i]; }));
            });
        }).catch(function (e) { done(String(e)); });
    """
    # Active with every page kept is what working offline needs. The page that installed
    # the worker is not always claimed by it (seen in Chromium 156: active, every page
    # kept, page not controlled); the next page opened is, which _start does.
    # Installing fetches every page and static file of the app: on a loaded machine (CI
    # runs the suite twice over) that can take longer than one page's wait.
    try:
        _wait(driver, lambda d: d.execute_async_script(script, pages), seconds=3 * WAIT_SECONDS)
    except TimeoutException as error:
        raise AssertionError(
            f"the service worker did not take over: {driver.execute_async_script(state, pages)}"
        ) from error


def _start(driver: Any, relay: Relay, username: str) -> None:
    """Log in and open the app once online: what a volunteer does before going out."""
    _login(driver, relay, username)
    _open(driver, relay.url + reverse("field_home"))
    _installed(driver)
    # The service worker took over after the first load: open again under it, as the
    # volunteer's next visit would, so the list and the rules are on the phone.
    _open(driver, relay.url + reverse("field_home"))
    _wait(driver, lambda d: d.execute_script(
        "return NKApp.store.fact('rules').then(function (r) { return !!r; })"
    ))  # fmt: skip


def _outbox(driver: Any) -> list[dict[str, Any]]:
    return driver.execute_script(
        "return NKApp.store.outbox().then(function (items) { return items.map(function (i) {"
        " return {id: i.id, kind: i.kind, state: i.state, body: i.body || null}; }); })"
    )


def _waiting(driver: Any) -> int:
    """The count the page shows (read in one step: the page redraws it as items go)."""
    return int(driver.execute_script("return document.getElementById('waiting-count').dataset.n"))


def _all_sent(driver: Any) -> bool:
    items = _outbox(driver)
    return bool(items) and all(i["state"] == "sent" for i in items)


def _type(driver: Any, name: str, text: str) -> None:
    field = driver.find_element(By.NAME, name)
    field.clear()
    field.send_keys(text)


def _photo(tmp_path: Path, size: tuple[int, int] = (4000, 3000)) -> Path:
    """A camera-sized JPEG (12 MP by default) for the file picker."""
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    path = tmp_path / "kamera.jpg"
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92)
    path.write_bytes(buffer.getvalue())
    return path


def _locate(driver: Any, relay: Relay, accuracy: float) -> None:
    driver.execute_cdp_cmd(
        "Browser.grantPermissions", {"permissions": ["geolocation"], "origin": relay.url}
    )
    driver.execute_cdp_cmd(
        "Emulation.setGeolocationOverride",
        {"latitude": -7.9391234567, "longitude": 112.6512345678, "accuracy": accuracy},
    )
    _tap(driver, driver.find_element(By.ID, "get-location"))
    _wait(driver, lambda d: d.find_element(By.ID, "get-location").get_attribute("data-accuracy"))


def _tap(driver: Any, element: Any) -> None:
    """Click as a thumb would: scrolled to the middle first, clear of the sticky Save bar."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def _register(driver: Any, relay: Relay, name: str, tmp_path: Path | None = None) -> None:
    _open(driver, relay.url + reverse("field_register"))
    _type(driver, "name", name)
    _type(driver, "owner_name", "Siti Aminah")
    _type(driver, "nik", NIK_WOMAN)
    _type(driver, "phone", "0812-3456-7890")
    Select(driver.find_element(By.NAME, "kelurahan")).select_by_value(BALEARJOSARI)
    _type(driver, "rw", "2")
    _type(driver, "rt", "3")
    _type(driver, "street", "Jl. Sanan 12")
    if tmp_path is not None:
        _type(driver, "figures.year", "2024")
        _type(driver, "figures.annual_sales", "150000000")
        Select(driver.find_element(By.NAME, "legality.kind")).select_by_value("pirt")
        _type(driver, "legality.number", "2063573010001-29")
        _type(driver, "product.name", "Keripik Tempe Original 200 g")
        _type(driver, "product.price", "15000")
        driver.find_element(By.ID, "f-photo").send_keys(str(_photo(tmp_path)))
        _wait(driver, lambda d: d.find_element(By.ID, "f-photo").get_attribute("data-bytes"))
        _locate(driver, relay, accuracy=12)
    driver.find_element(By.CSS_SELECTOR, "#item-form button[type=submit]").click()
    _wait(driver, lambda d: d.current_url == relay.url + reverse("field_home"))
    _wait(driver, lambda d: d.execute_script(
        "var a = document.getElementById('field-app'); return !!(a && a.dataset.ready)"
    ))  # fmt: skip


def _reopen(driver: Any, relay: Relay, offline: bool) -> None:
    """Close the app's tab and open it again in a new one, as after closing the browser."""
    old = driver.current_window_handle
    driver.switch_to.new_window("tab")
    new = driver.current_window_handle
    _emulate(driver, offline=offline)
    driver.switch_to.window(old)
    driver.close()
    driver.switch_to.window(new)
    _open(driver, relay.url + reverse("field_home"))


def test_a_business_registered_offline_reaches_the_server_once_with_its_audit_entry(
    transactional_db: Any,
    live_server: Any,
    phone: Any,
    relay: Relay,
    volunteer: Any,
    tmp_path: Path,
) -> None:
    # The app's pages run under the site's Content Security Policy like every other.
    phone.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": WATCH})
    _start(phone, relay, volunteer.username)
    _offline(phone, relay)

    _register(phone, relay, "Keripik Tempe Bu Siti", tmp_path)
    assert phone.execute_script("return window.__violations") == []
    # Submitted for curation at once, before the server has given the business an id.
    _tap(phone, phone.find_element(By.CSS_SELECTOR, "[data-business^='local:'] button.submit"))
    _wait(phone, lambda d: _waiting(d) == 6)
    # The business, its figures, legality document, product, photo, and the submission.
    assert "6 menunggu dikirim" in phone.find_element(By.ID, "outbox-count").text
    photo = next(i for i in _outbox(phone) if i["kind"] == "photo")
    assert photo["state"] == "waiting"
    # Resized on the phone: 1600 px at most, a fraction of the camera's file.
    stored = phone.execute_script(
        "return NKApp.store.get('outbox', arguments[0]).then(function (i) {"
        " return createImageBitmap(i.photo).then(function (b) {"
        " return [i.photo.size, Math.max(b.width, b.height)]; }); })",
        photo["id"],
    )
    assert stored[1] == 1600
    assert stored[0] < (tmp_path / "kamera.jpg").stat().st_size / 2
    _screenshot(phone, "offline-waiting")
    if os.environ.get("NAIKKELAS_UPDATE_DOCS") == "1":  # the README's picture
        phone.save_screenshot(str(DOCS / "offline-app.png"))

    _reopen(phone, relay, offline=True)
    # The page came from the service worker: the server cannot be reached at all.
    assert phone.find_element(By.TAG_NAME, "h1").text
    assert _waiting(phone) == 6
    assert not Business.objects.filter(name="Keripik Tempe Bu Siti").exists()

    _online(phone, relay)
    _wait(phone, _all_sent)
    _wait(phone, lambda d: _waiting(d) == 0)
    business = Business.objects.get(name="Keripik Tempe Bu Siti")
    assert business.owner.nik == NIK_WOMAN
    assert (business.rw, business.rt, business.street) == (2, 3, "Jl. Sanan 12")
    assert business.status == Status.SUBMITTED
    assert business.location_accuracy == 12
    assert business.financials.get().annual_sales == 150_000_000
    assert business.legality.get().number == "2063573010001-29"
    assert business.products.get().price == 15_000
    assert business.photos.count() == 1
    assert (
        AuditEntry.objects.filter(action="business.created", object_id=str(business.pk)).count()
        == 1
    )
    # Once sent, the phone keeps the NIK masked only.
    assert NIK_WOMAN not in json.dumps(_outbox(phone))


def test_a_visit_and_a_complaint_recorded_offline_arrive_with_photos_and_positions(
    transactional_db: Any,
    live_server: Any,
    phone: Any,
    relay: Relay,
    volunteer: Any,
    tmp_path: Path,
) -> None:
    _start(phone, relay, volunteer.username)
    _offline(phone, relay)
    _register(phone, relay, "Kerupuk Bu Tin")

    _open(phone, relay.url + reverse("field_visit"))
    Select(phone.find_element(By.NAME, "kind")).select_by_value("sahabat")
    Select(phone.find_element(By.NAME, "kelurahan")).select_by_value(BALEARJOSARI)
    _type(phone, "place", "Sentra kerupuk RW 02")
    _type(phone, "visitors", "Sahabat UMKM")
    # The business registered a minute ago, not yet sent, can be chosen already.
    Select(phone.find_element(By.NAME, "businesses")).select_by_visible_text(
        "Kerupuk Bu Tin (Usaha baru (belum terkirim))"
    )
    phone.find_element(By.ID, "f-photo").send_keys(str(_photo(tmp_path, (3000, 2000))))
    _wait(phone, lambda d: d.find_element(By.ID, "f-photo").get_attribute("data-bytes"))
    _locate(phone, relay, accuracy=250)
    _tap(phone, phone.find_element(By.CSS_SELECTOR, "#item-form button[type=submit]"))
    _wait(phone, lambda d: d.current_url == relay.url + reverse("field_home"))

    _open(phone, relay.url + reverse("field_complaint"))
    Select(phone.find_element(By.NAME, "category")).select_by_value("permodalan")
    _type(phone, "text", "Butuh modal untuk oven kedua")
    Select(phone.find_element(By.NAME, "business")).select_by_visible_text(
        "Kerupuk Bu Tin (Usaha baru (belum terkirim))"
    )
    _locate(phone, relay, accuracy=0)
    _tap(phone, phone.find_element(By.CSS_SELECTOR, "#item-form button[type=submit]"))
    _wait(phone, lambda d: d.current_url == relay.url + reverse("field_home"))
    _open(phone, relay.url + reverse("field_home"))
    assert _waiting(phone) == 4  # the business, the visit, its photo, the complaint

    _online(phone, relay)
    _wait(phone, _all_sent, seconds=30)
    business = Business.objects.get(name="Kerupuk Bu Tin")
    visit = Visit.objects.get(place="Sentra kerupuk RW 02")
    assert list(visit.businesses.all()) == [business]
    assert visit.photos.count() == 1
    assert visit.location_accuracy == 250
    complaint = Complaint.objects.get(business=business)
    assert complaint.text == "Butuh modal untuk oven kedua"
    assert complaint.location_accuracy == 0


def test_the_rules_check_before_queueing_and_a_refusal_is_fixed_in_place(
    transactional_db: Any, live_server: Any, phone: Any, relay: Relay, volunteer: Any
) -> None:
    _start(phone, relay, volunteer.username)
    _offline(phone, relay)
    _open(phone, relay.url + reverse("field_register"))
    _type(phone, "name", "Dawet Ayu")
    _type(phone, "owner_name", "Rini")
    Select(phone.find_element(By.NAME, "kelurahan")).select_by_value(BALEARJOSARI)
    _type(phone, "rt", "1000")
    # Five digits, as the served pattern asks, but no KBLI 2020 division starts with 00.
    _type(phone, "kbli", "00111")
    _tap(phone, phone.find_element(By.CSS_SELECTOR, "#item-form button[type=submit]"))
    # Offline, from the served rules, in Indonesian; nothing is queued.
    error = _wait(
        phone, lambda d: d.find_element(By.CSS_SELECTOR, "[data-error-for=rt]:not([hidden])")
    )
    assert "RT harus berupa angka 1 sampai 999" in error.text, error.text
    assert phone.execute_script("return NKApp.store.outbox()") == []

    _type(phone, "rt", "7")
    _tap(phone, phone.find_element(By.CSS_SELECTOR, "#item-form button[type=submit]"))
    _wait(phone, lambda d: d.current_url == relay.url + reverse("field_home"))
    # Only the server knows the KBLI table: it refuses with the field's code, in Indonesian.
    _online(phone, relay)
    row = _wait(phone, lambda d: d.find_element(By.CSS_SELECTOR, ".item[data-state=refused]"))
    reason = row.find_element(By.CSS_SELECTOR, "[data-field=kbli] .error").text
    assert "Kode KBLI 00111" in reason, reason
    assert not Business.objects.filter(name="Dawet Ayu").exists()
    kbli = row.find_element(By.CSS_SELECTOR, "[data-field=kbli] input")
    kbli.clear()
    kbli.send_keys("10792")
    _tap(phone, row.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    _wait(phone, _all_sent)
    assert Business.objects.get(name="Dawet Ayu").kbli == "10792"


def test_a_retry_after_a_lost_answer_writes_nothing_twice(
    transactional_db: Any, live_server: Any, phone: Any, relay: Relay, volunteer: Any
) -> None:
    _start(phone, relay, volunteer.username)
    _offline(phone, relay)
    _register(phone, relay, "Rotan Jaya")
    assert _waiting(phone) == 1

    relay.lose_answer_to(b"POST /api/v1/businesses/ ")
    _online(phone, relay)
    _wait(phone, lambda d: relay.lost.is_set())
    # The server wrote it; the phone never heard, so it tries again with the same key.
    assert Business.objects.filter(name="Rotan Jaya").count() == 1
    _wait(phone, _all_sent, seconds=30)
    assert Business.objects.filter(name="Rotan Jaya").count() == 1
    business = Business.objects.get(name="Rotan Jaya")
    assert (
        AuditEntry.objects.filter(action="business.created", object_id=str(business.pk)).count()
        == 1
    )
    assert _outbox(phone)[0]["state"] == "sent"


def test_an_offline_edit_of_a_record_a_curator_changed_becomes_a_conflict(
    transactional_db: Any,
    live_server: Any,
    phone: Any,
    relay: Relay,
    volunteer: Any,
    curator: Any,
    make_business: Any,
) -> None:
    business = make_business(
        name="Tempe Sanan", main_product="Tempe", street="Jl. Lama 1",
        nik=NIK_MAN, phone="081298765432",
    )  # fmt: skip
    _start(phone, relay, volunteer.username)
    # The list the phone keeps shows the owner's NIK and phone masked, never in clear.
    cached = json.dumps(phone.execute_script("return NKApp.store.all('businesses')"))
    assert "************0001" in cached and NIK_MAN not in cached
    assert "98765432" not in cached and "1298765432" not in cached
    _offline(phone, relay)

    _open(phone, relay.url + reverse("field_edit") + f"#b={business.pk}")
    assert phone.find_element(By.NAME, "name").get_attribute("value") == "Tempe Sanan"
    _type(phone, "main_product", "Keripik tempe")
    _type(phone, "street", "Jl. Sanan 20")
    phone.find_element(By.CSS_SELECTOR, "#item-form button[type=submit]").click()
    _wait(phone, lambda d: d.current_url == relay.url + reverse("field_home"))
    _wait(phone, lambda d: _waiting(d) == 1)

    # Meanwhile, at the office:
    services.update_business(
        curator, business, {"main_product": "Tempe mendoan"}, expected_version=business.version
    )
    _online(phone, relay)
    row = _wait(phone, lambda d: d.find_element(By.CSS_SELECTOR, ".item[data-state=conflict]"))
    business.refresh_from_db()
    assert business.main_product == "Tempe mendoan", "the curator's change survives"
    assert business.street == "Jl. Lama 1"
    mine = row.find_element(By.CSS_SELECTOR, "tr[data-field=main_product] .mine").text
    theirs = row.find_element(By.CSS_SELECTOR, "tr[data-field=main_product] .theirs").text
    assert (mine, theirs) == ("Keripik tempe", "Tempe mendoan")
    # Where only the volunteer changed a field, theirs is kept by default; where both
    # did, nothing is chosen for them.
    assert row.find_element(By.CSS_SELECTOR, "input[name=street]").is_selected()
    assert not row.find_element(By.CSS_SELECTOR, "input[name=main_product]").is_selected()
    _screenshot(phone, "offline-conflict")

    row.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    _wait(phone, _all_sent)
    business.refresh_from_db()
    assert (business.main_product, business.street) == ("Tempe mendoan", "Jl. Sanan 20")


def test_a_new_service_worker_version_sends_every_waiting_item(
    transactional_db: Any, live_server: Any, phone: Any, relay: Relay, volunteer: Any, settings: Any
) -> None:
    _start(phone, relay, volunteer.username)
    first = fieldwork.version()
    _offline(phone, relay)
    for name in ("Batik Tulis", "Kopi Lereng", "Jamu Gendong"):
        _register(phone, relay, name)
    before = {(i["id"], json.dumps(i["body"], sort_keys=True)) for i in _outbox(phone)}
    assert len(before) == 3

    # A deployment while the phone is out: the next online visit installs a new worker.
    settings.NAIKKELAS_APP_RELEASE = "2"
    second = fieldwork.version()
    assert second != first
    relay.restore()
    _reopen(phone, relay, offline=False)
    _wait(phone, lambda d: d.execute_async_script(
        "var done = arguments[0]; caches.keys().then(function (k) { done(k); })"
    ) == [f"nk-app-{second}"], seconds=30)  # fmt: skip
    _wait(phone, _all_sent, seconds=30)
    for name in ("Batik Tulis", "Kopi Lereng", "Jamu Gendong"):
        assert Business.objects.filter(name=name).count() == 1
    # The same items, with the same keys, sent: the update rewrote none of them.
    assert {i["id"] for i in _outbox(phone)} == {i for i, _body in before}


def test_logging_out_with_waiting_items_warns_then_leaves_nothing_on_the_phone(
    transactional_db: Any, live_server: Any, phone: Any, relay: Relay, volunteer: Any
) -> None:
    _start(phone, relay, volunteer.username)
    _offline(phone, relay)
    _register(phone, relay, "Sambal Bu Rini")
    # Back online, but the API cannot be reached: the item keeps waiting.
    relay.refuse(b"POST /api/")
    _online(phone, relay)
    _wait(phone, lambda d: d.execute_script(
        "return NKApp.store.outbox().then(function (i) { return i[0].attempts > 0; })"
    ))  # fmt: skip
    assert _waiting(phone) == 1

    logout = phone.find_element(By.CSS_SELECTOR, "form[data-logout] button")
    logout.click()
    alert = _wait(phone, lambda d: _alert(d))
    assert "1" in alert.text
    alert.dismiss()  # the volunteer stays, the item too
    assert phone.find_element(By.CSS_SELECTOR, "form[data-logout]")
    assert _waiting(phone) == 1

    phone.find_element(By.CSS_SELECTOR, "form[data-logout] button").click()
    _wait(phone, lambda d: _alert(d)).accept()
    _wait(phone, lambda d: reverse("login") in d.current_url)
    left = phone.execute_async_script(
        "var done = arguments[0];"
        "Promise.all([indexedDB.databases(), caches.keys(),"
        " navigator.serviceWorker.getRegistrations()]).then(function (f) {"
        " done([f[0].map(function (d) { return d.name; }), f[1], f[2].length]); });"
    )
    assert left == [[], [], 0]
    assert not Business.objects.filter(name="Sambal Bu Rini").exists()


def _alert(driver: Any) -> Any:
    try:
        alert = driver.switch_to.alert
        alert.text  # noqa: B018 (raises while there is none)
        return alert
    except NoAlertPresentException:
        return False
