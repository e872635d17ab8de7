"""The volunteer's offline app (issue 20): sending a full outbox from one phone, and how
much room a day's work takes on it.

    .venv/bin/python -m benchmarks.offline
    BENCH_OFFLINE_ITEMS=200 BENCH_OFFLINE_PHOTOS=50 .venv/bin/python -m benchmarks.offline

Serves a scratch PostgreSQL database (BENCH_OFFLINE_DB) with gunicorn on loopback
(benchmarks.serving: 2 workers x 4 threads, without the job worker, logs in the scratch
folder) and drives a real headless Chromium (Debian's /usr/bin/chromium) on a
phone-sized window: a volunteer logs in and opens the app, so its service worker
installs. Then

- sync: BENCH_OFFLINE_ITEMS items wait in the outbox (new businesses, each with its
  figures, legality document and product: four items a business, in the order a
  volunteer makes them), and the app sends them all ("Kirim sekarang"). Prints the
  seconds the phone took and the requests it made; checks every business arrived once.
- outbox size: BENCH_OFFLINE_PHOTOS new businesses, each with one photo, wait in the
  outbox. The photo is a synthetic 12 MP camera JPEG (4000 x 3000, made in the page),
  resized by the app as it is before queueing; prints the outbox's bytes (bodies and
  photos as IndexedDB holds them), what the camera files would have taken, and the
  resize time per photo.

gunicorn runs with DEBUG on over plain HTTP: loopback is a secure context, so the service
worker runs without a certificate (production serves HTTPS). Prints figures; never
asserts on time.
"""

import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.results import Figure, record
from benchmarks.scratch import Scratch, timed
from benchmarks.serving import serve

ITEMS = int(os.environ.get("BENCH_OFFLINE_ITEMS", "200"))
PHOTOS = int(os.environ.get("BENCH_OFFLINE_PHOTOS", "50"))
SCRATCH = Scratch("OFFLINE", "naikkelas_bench_offline")
# The server the figures are measured on (the setting recorded with them).
WORKERS, THREADS = 2, 4
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
PASSWORD = "bench-pass-123"  # noqa: S105 (an account of a scratch database)
KELURAHAN = "35.73.01.1001"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from naikkelas.accounts.models import User  # noqa: E402
from naikkelas.core.models import AuditEntry  # noqa: E402
from naikkelas.regions.models import Region  # noqa: E402
from naikkelas.registry.models import Business  # noqa: E402

# A business as the registration form queues it, with its three child items.
QUEUE_BUSINESSES = """
var n = arguments[0], prefix = arguments[1], done = arguments[arguments.length - 1];
var store = NKApp.store, queued = Promise.resolve();
for (var i = 0; i < n; i += 1) {
  (function (i) {
    queued = queued.then(function () {
      var id = crypto.randomUUID(), group = "new:" + id, name = prefix + " " + i;
      return store.queue({ id: id, kind: "business.create", group: group, label: name, refs: [],
        body: { name: name, owner_name: "Pemilik " + i, kelurahan: "KELURAHAN",
                rw: 2, rt: 3, street: "Jl. Sanan " + i, nik: "3573015203850002",
                phone: "0812-3456-7890", latitude: -7.939123, longitude: 112.651234,
                location_accuracy: 12.5 } })
        .then(function () { return store.queue({ kind: "figures", parent: id, group: group,
          label: name, body: { year: 2024, annual_sales: 150000000 } }); })
        .then(function () { return store.queue({ kind: "legality", parent: id, group: group,
          label: name, body: { kind: "pirt", number: "20635730100" + i } }); })
        .then(function () { return store.queue({ kind: "product", parent: id, group: group,
          label: name, body: { name: "Keripik tempe 200 g", price: 15000 } }); });
    });
  })(i);
}
queued.then(function () { done(true); }, function (e) { done(String(e)); });
""".replace("KELURAHAN", KELURAHAN)

SEND_ALL = """
var done = arguments[arguments.length - 1], sync = NKApp.sync;
var before = sync.requests, start = performance.now();
function pass() {
  return sync.run(true).then(function () { return NKApp.store.outbox(); }).then(function (items) {
    var left = items.filter(function (i) { return i.state !== "sent"; });
    if (left.length && left.every(function (i) { return i.state === "waiting"; }) &&
        performance.now() - start < 600000) { return pass(); }
    return left.length;
  });
}
pass().then(function (left) {
  done([(performance.now() - start) / 1000, sync.requests - before, left]);
}, function (e) { done(String(e)); });
"""

# A camera's photo: 4000 x 3000 with detail everywhere (gradients under noise), as a
# phone saves it (JPEG, quality 0.92), then the app's own resize before queueing.
QUEUE_PHOTOS = """
var n = arguments[0], done = arguments[arguments.length - 1];
var canvas = document.createElement("canvas");
canvas.width = 4000; canvas.height = 3000;
var ctx = canvas.getContext("2d");
var pixels = ctx.createImageData(4000, 3000), d = pixels.data, seed = 7;
for (var p = 0; p < d.length; p += 4) {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  var x = (p / 4) % 4000, y = Math.floor(p / 16000), noise = (seed >> 16) % 48;
  d[p] = (x / 16 + noise) & 255; d[p + 1] = (y / 12 + noise) & 255;
  d[p + 2] = ((x + y) / 28 + noise) & 255; d[p + 3] = 255;
}
ctx.putImageData(pixels, 0, 0);
canvas.toBlob(function (camera) {
  var store = NKApp.store, queued = Promise.resolve(), resizing = 0;
  for (var i = 0; i < n; i += 1) {
    (function (i) {
      queued = queued.then(function () {
        var start = performance.now();
        return NKApp.resize(camera).then(function (photo) {
          resizing += performance.now() - start;
          var id = crypto.randomUUID(), group = "new:" + id;
          return store.queue({ id: id, kind: "business.create", group: group, refs: [],
            label: "Foto " + i, body: { name: "Usaha berfoto " + i, owner_name: "Pemilik",
              kelurahan: "KELURAHAN", nik: "3573015203850002", phone: "081234567890" } })
            .then(function () { return store.queue({ kind: "photo", parent: id, group: group,
              photo: photo, photoBytes: photo.size }); });
        });
      });
    })(i);
  }
  queued.then(function () { return NKApp.store.outbox(); }).then(function (items) {
    var bytes = 0;
    items.forEach(function (item) {
      if (item.state === "sent") { return; }
      bytes += JSON.stringify(item.body || {}).length + (item.photo ? item.photo.size : 0);
    });
    done([bytes, camera.size, resizing / n]);
  }, function (e) { done(String(e)); });
}, "image/jpeg", 0.92);
""".replace("KELURAHAN", KELURAHAN)


def chromium() -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="naikkelas-bench-chromium-")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-sync",
                f"--user-data-dir={profile}", "--lang=id", "--window-size=390,844"):  # fmt: skip
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_script_timeout(900)
    driver.profile_folder = profile
    return driver


def open_app(driver: Any, base: str, username: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(base + "/accounts/login/")
    driver.find_element(By.ID, "id_username").send_keys(username)
    driver.find_element(By.ID, "id_password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
    WebDriverWait(driver, 30).until(lambda d: "/accounts/login/" not in d.current_url)
    ready = "var a = document.getElementById('field-app'); return !!(a && a.dataset.ready)"
    for _visit in range(2):  # the second under the installed service worker
        driver.get(base + "/lapangan/")
        WebDriverWait(driver, 60).until(lambda d: d.execute_script(ready))
        WebDriverWait(driver, 60).until(
            lambda d: d.execute_script("return !!navigator.serviceWorker.controller")
        )


def main() -> int:
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        print(f"benchmarks.offline needs {CHROMIUM} and {CHROMEDRIVER}", file=sys.stderr)
        return 1
    SCRATCH.create()
    businesses = ITEMS // 4
    try:
        timed("migrate", lambda: call_command("migrate", verbosity=0))
        volunteer = User.objects.create_user("sahabat-3573011001", password=PASSWORD,
                                             role="volunteer")  # fmt: skip
        volunteer.kelurahan.set(Region.objects.filter(code=KELURAHAN))
        env = os.environ | {"DJANGO_DEBUG": "1"}
        with serve(SCRATCH.folder, env, workers=WORKERS, threads=THREADS, tls=False,
                   job_worker=False, log_level="warning") as base:  # fmt: skip
            driver = chromium()
            try:
                open_app(driver, base, volunteer.username)
                assert driver.execute_async_script(QUEUE_BUSINESSES, businesses, "Usaha") is True
                seconds, requests, left = driver.execute_async_script(SEND_ALL)
                arrived = Business.objects.filter(name__startswith="Usaha ").count()
                created = AuditEntry.objects.filter(action="business.created").count()
                print(f"sync of {businesses * 4} queued items ({businesses} new businesses "
                      f"with figures, legality, product): {seconds:.1f} s, {requests} "
                      f"requests, {left} left; {arrived} businesses, {created} audit "
                      f"entries")  # fmt: skip
                if left or arrived != businesses or created != businesses:
                    print("the sync did not deliver every item exactly once", file=sys.stderr)
                    return 1
                outbox, camera, resize_ms = driver.execute_async_script(QUEUE_PHOTOS, PHOTOS)
                print(f"outbox of {PHOTOS} businesses with one photo each: {outbox / 1e6:.1f} "
                      f"MB (the camera's files: {PHOTOS * camera / 1e6:.1f} MB); resize "
                      f"{resize_ms:.0f} ms a photo")  # fmt: skip
            finally:
                driver.quit()
                shutil.rmtree(driver.profile_folder, ignore_errors=True)
    finally:
        SCRATCH.drop()
    record(
        "offline",
        f"one headless Chromium phone, gunicorn {WORKERS} workers x {THREADS} threads, "
        "PostgreSQL, loopback",
        [
            Figure(f"sync of {businesses * 4} queued items from one phone", seconds, "s"),
            Figure(f"requests for {businesses * 4} queued items", requests, "requests"),
            Figure(f"outbox of {PHOTOS} businesses with one photo each", outbox / 1e6, "MB"),
            Figure(
                f"the same {PHOTOS} photos as the camera saved them", PHOTOS * camera / 1e6, "MB"
            ),
            Figure("resizing one 12 MP photo on the phone", resize_ms, "ms"),
        ],
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
