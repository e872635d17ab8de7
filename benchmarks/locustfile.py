"""The load test's users (run by `python -m benchmarks.load`, not on its own).

A realistic mix on a working morning: volunteers list, open and edit businesses in their
kelurahan on the web; curators work the curation queue and verify; leadership reads the
dashboard and the figures; the public browses the catalogue. Every write that the server
accepted is counted under a request name ending in "[write]", so that the harness can
reconcile it with the audit log afterwards. Leadership's reads note how old the figures
they were shown are (the dashboard's "data per" moment, the stats API's `as_of`) in the
file LOAD_AGES names, one line per read.
"""

import datetime
import json
import os
import random
import re
import time
import warnings
from html.parser import HTMLParser
from typing import Any

from locust import HttpUser, between, task

warnings.filterwarnings("ignore", message="Unverified HTTPS request")
PASSWORD = "naikkelas-demo"  # noqa: S105  (the demo's documented password)
KELURAHAN = os.environ.get("LOAD_KELURAHAN", "3573011001").split(",")
BUSINESS_LINK = re.compile(r'href="/usaha/(\d+)/"')
PRODUCT_LINK = re.compile(r'href="(/katalog/produk/\d+/)"')
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# Writes stop a little before the run does (benchmarks.load sets the moment), so that
# none is in flight when locust stops its users: the server would do it and locust never
# count it, and the reconciliation with the audit log could not be exact.
WRITES_UNTIL = float(os.environ.get("LOAD_WRITES_UNTIL", "inf"))
REFUSED = 'class="msg error"'  # how base.html shows a refusal
AGES = os.environ.get("LOAD_AGES", "")
AS_OF = re.compile(r'class="as-of[^"]*"[^>]*>.*?<time datetime="([^"]+)"', re.S)


def note_age(kind: str, as_of: str | None) -> None:
    """How old the figures a reader was shown are, in seconds, as the reader gets them
    (server and load on the same machine: one clock)."""
    if not AGES or not as_of:
        return
    age = time.time() - datetime.datetime.fromisoformat(as_of).timestamp()
    with open(AGES, "a", encoding="utf-8") as ages:
        ages.write(f"{kind},{age:.3f}\n")


class _Form(HTMLParser):
    """The fields of the page's own form (the first POST form without an `action`: the
    header's language and logout forms have one), as a browser would submit them."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, Any] = {}
        self._in_form = self._done = False
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        own = a.get("method", "").lower() == "post" and not a.get("action")
        if tag == "form" and own and not self._done:
            self._in_form = True
        if not self._in_form or ("name" not in a and tag != "option"):
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file"):
                self.fields[a["name"]] = a.get("value", "on" if kind == "checkbox" else "")
        elif tag == "select":
            self._select = a["name"]
            self.fields.setdefault(self._select, "")
        elif tag == "option" and self._select and "selected" in a:
            self.fields[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self.fields[self._textarea] = ""

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self._in_form:
            self._in_form, self._done = False, True


def form_fields(html: str) -> dict[str, Any]:
    parser = _Form()
    parser.feed(html)
    return parser.fields


def _over_tls(user: HttpUser) -> None:
    """The loopback server's certificate is self-signed; Django checks that a POST over
    HTTPS comes from its own origin, as a browser says with Referer."""
    user.client.verify = False
    user.client.headers["Referer"] = f"{user.host}/"


class _SignedIn(HttpUser):
    abstract = True
    username = ""

    def on_start(self) -> None:
        _over_tls(self)
        page = self.client.get("/accounts/login/", name="login page")
        fields = form_fields(page.text)
        fields.update(username=self.username, password=PASSWORD)
        self.client.post("/accounts/login/", data=fields, name="login")


class Volunteer(_SignedIn):
    weight = 5
    wait_time = between(1, 4)

    def on_start(self) -> None:
        self.username = "sahabat-" + random.choice(KELURAHAN)
        super().on_start()
        self.ids: list[str] = []

    @task(6)
    def list_businesses(self) -> None:
        page = self.client.get(f"/usaha/?page={random.randint(1, 3)}", name="/usaha/ (list)")
        self.ids = BUSINESS_LINK.findall(page.text) or self.ids

    @task(4)
    def open_business(self) -> None:
        if self.ids:
            self.client.get(f"/usaha/{random.choice(self.ids)}/", name="/usaha/<id>/")

    @task(1)
    def edit_business(self) -> None:
        if not self.ids or time.time() > WRITES_UNTIL:
            return
        business = random.choice(self.ids)
        form = self.client.get(f"/usaha/{business}/ubah/", name="/usaha/<id>/ubah/")
        if form.status_code != 200:
            return  # archived or merged records cannot be edited
        fields = form_fields(form.text)
        fields["street"] = f"Jl. Uji Beban No. {random.randint(1, 999)}"
        with self.client.post(
            f"/usaha/{business}/ubah/", data=fields, name="edit business [write]",
            allow_redirects=False, catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code == 302:
                response.success()
            elif response.status_code == 200:
                # Refused with a message (another edit won, or the record changed): not a
                # write, not an error either.
                response.request_meta["name"] = "edit business (refused)"
                response.success()
            else:
                response.failure(f"status {response.status_code}")


class Curator(_SignedIn):
    weight = 2
    wait_time = between(2, 5)
    username = "kurator"

    @task(4)
    def queue(self) -> None:
        page = self.client.get("/kurasi/", name="/kurasi/")
        self.queue_ids = BUSINESS_LINK.findall(page.text)

    @task(1)
    def verify(self) -> None:
        ids = getattr(self, "queue_ids", [])
        if not ids or time.time() > WRITES_UNTIL:
            return
        business = ids.pop(random.randrange(len(ids)))
        detail = self.client.get(f"/usaha/{business}/", name="/usaha/<id>/")
        found = CSRF_TOKEN.search(detail.text)
        token = found.group(1) if found else ""
        with self.client.post(
            f"/usaha/{business}/verify/", data={"csrfmiddlewaretoken": token},
            name="verify business [write]", allow_redirects=False, catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code not in (301, 302):
                response.failure(f"status {response.status_code}")
                return
            # The answer is a message on the next page: two curators may pick the same
            # business, and the second is told it is verified already (not a write).
            after = self.client.get(response.headers["Location"], name="(page after verify)")
            if REFUSED in after.text:
                response.request_meta["name"] = "verify business (refused)"
            response.success()

    @task(1)
    def export(self) -> None:
        kelurahan = random.choice(KELURAHAN)
        kelurahan = f"{kelurahan[:2]}.{kelurahan[2:4]}.{kelurahan[4:6]}.{kelurahan[6:]}"
        self.client.get(f"/usaha/?kelurahan={kelurahan}&format=csv", name="/usaha/?format=csv")


class Leader(_SignedIn):
    weight = 1
    wait_time = between(3, 8)
    username = "pimpinan"

    @task(3)
    def dashboard(self) -> None:
        page = self.client.get("/dashboard/", name="/dashboard/")
        found = AS_OF.search(page.text) if page.status_code == 200 else None
        note_age("dashboard", found.group(1) if found else None)

    @task(2)
    def stats(self) -> None:
        answer = self.client.get("/api/v1/stats/", name="/api/v1/stats/")
        if answer.status_code == 200:
            note_age("stats", json.loads(answer.text).get("as_of"))

    @task(1)
    def ready_list(self) -> None:
        self.client.get("/naik-kelas/siap/", name="/naik-kelas/siap/")


class Public(HttpUser):
    weight = 2
    wait_time = between(1, 4)

    def on_start(self) -> None:
        _over_tls(self)

    @task(3)
    def catalogue(self) -> None:
        page = self.client.get(f"/katalog/?page={random.randint(1, 5)}", name="/katalog/")
        self.products = PRODUCT_LINK.findall(page.text)

    @task(1)
    def search(self) -> None:
        self.client.get("/katalog/?q=keripik", name="/katalog/?q=")

    @task(2)
    def product(self) -> None:
        products = getattr(self, "products", [])
        if not products:
            return
        with self.client.get(
            random.choice(products), name="/katalog/produk/<id>/", catch_response=True
        ) as response:
            if response.status_code == 404:
                # A volunteer's edit sends a verified business back to the curators, and
                # its products leave the catalogue until verified again: gone since the
                # list was read, correctly, so not an error.
                response.request_meta["name"] = "product (no longer listed)"
                response.success()
