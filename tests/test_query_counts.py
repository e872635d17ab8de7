"""The main pages make a pinned number of queries, whatever the size of the city.

Each page is asked for once to warm it (session, roll-ups), then counted; the city grows
by ten businesses with figures, legality, products, channels and a catalogue listing
(and the business shown gets more of each); the page is warmed and counted again. Both
counts must equal the pinned number: a query per row fails, and so does a new lookup per
request that nobody argued for.
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from conftest import NIK_WOMAN, PASSWORD, api_token
from naikkelas.catalog import services as catalog
from naikkelas.monitoring import tallies
from naikkelas.registry import services
from naikkelas.registry.models import Business

LAST_YEAR = 2025


def _enrich(admin: Any, business: Business, n: int, year: int = LAST_YEAR) -> None:
    services.save_financial_record(admin, business, {"year": year, "annual_sales": 8 * 10**8 + n})
    services.add_detail(admin, business, "legality", {"kind": "pirt", "number": f"P-{n}"})
    services.add_detail(admin, business, "product", {"name": f"Keripik {n}", "price": 15_000})
    services.add_detail(admin, business, "channel", {"kind": "social", "name": f"IG {n}"})


@pytest.fixture
def grow(admin: Any, make_business: Any) -> Callable[[Business], None]:
    counter = iter(range(100))

    def more(shown: Business) -> None:
        for _ in range(10):
            n = next(counter)
            business = make_business(name=f"Usaha Tumbuh {n}", nik=NIK_WOMAN, phone="081234567890")
            _enrich(admin, business, n)
            services.submit_business(admin, business)
            if n % 2:
                business = services.verify_business(admin, business)
                catalog.set_listing(
                    admin, business, listed=True, contact_kind="whatsapp", contact="085711112222"
                )
        _enrich(admin, Business.objects.get(pk=shown.pk), 50, year=LAST_YEAR - 1)
        tallies.refresh()

    return more


@pytest.fixture
def shown(admin: Any, make_business: Any) -> Business:
    business: Business = make_business(name="Keripik Contoh", nik=NIK_WOMAN)
    _enrich(admin, business, 99)
    services.submit_business(admin, business)
    business = services.verify_business(admin, business)
    catalog.set_listing(
        admin, business, listed=True, contact_kind="whatsapp", contact="085711112222"
    )
    waiting: Business = make_business(name="Keripik Antri")
    _enrich(admin, waiting, 98)
    services.submit_business(admin, waiting)
    tallies.refresh()
    return business


# page, persona, pinned count, and what the count is made of
PAGES = [
    ("business_list", "curator", 7, "session, user, status counts, count, kelurahan, kecamatan "
     "names, the page with owner and place"),
    ("business_detail", "curator", 19, "session, user, the business, figures, merged ids, owner, "
     "standing with its policies, criteria, banks (once for both forms), enrolled programme "
     "ids, programmes, legality, products, channels, graduations, enrolments, milestones, "
     "referrals, history"),
    ("curation_queue", "curator", 4, "session, user, count, the page"),
    ("dashboard", "leader", 7, "session, user, as-of and places, roll-ups (two), targets, "
     "cohorts"),
    ("eligibility_list", "manager", 6, "session, user, count, per kelurahan, region names "
     "(kecamatan, kelurahan)"),
    ("catalogue", None, 5, "count, places, sentra, the page, photos"),
]  # fmt: skip


@pytest.mark.parametrize(("page", "persona", "pinned", "made_of"), PAGES)
def test_it_keeps_the_page_at_its_pinned_count(
    client: Any, request: Any, pinned_queries: Any, shown: Business, grow: Any, page: str,
    persona: str | None, pinned: int, made_of: str,
) -> None:  # fmt: skip
    if persona:
        client.login(username=request.getfixturevalue(persona).username, password=PASSWORD)
    url = reverse(page, args=[shown.pk] if page == "business_detail" else [])

    def fetch() -> Any:
        return client.get(url)

    fetch()
    pinned_queries(pinned, fetch)
    grow(shown)
    fetch()
    pinned_queries(pinned, fetch)


def test_it_keeps_the_api_list_at_its_pinned_count(
    api_client: Any, curator: Any, pinned_queries: Any, shown: Business, grow: Any
) -> None:
    # authentication (two), count, the page with owners, places and standings
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(curator)}")
    url = "/api/v1/businesses/"

    def fetch() -> Any:
        return api_client.get(url)

    pinned_queries(4, fetch)
    grow(shown)
    pinned_queries(4, fetch)
