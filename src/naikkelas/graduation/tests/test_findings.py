import pytest
from django.urls import reverse

from conftest import PASSWORD, SUKUN_KELURAHAN
from naikkelas.registry import services

pytestmark = pytest.mark.django_db
B = 1_000_000_000


def _with_sales(admin, make_business, reported, sales, **fields):
    business = make_business(reported_size_class=reported, **fields)
    if sales is not None:
        services.save_financial_record(admin, business, {"year": 2024, "annual_sales": sales})
    return business


def test_it_lists_a_reported_class_that_differs_from_the_computed_one(
    client, admin, curator, make_business
):
    differs = _with_sales(admin, make_business, "small", 800_000_000, name="Keripik Beda")
    agrees = _with_sales(admin, make_business, "micro", 800_000_000, name="Keripik Sama")
    unreported = _with_sales(admin, make_business, "", 3 * B, name="Keripik Diam")
    client.login(username=curator.username, password=PASSWORD)

    page = client.get(reverse("finding_list"))

    assert page.status_code == 200
    listed = {b.pk for b in page.context["page"]}
    assert differs.pk in listed
    assert agrees.pk not in listed
    assert unreported.pk not in listed
    assert "Keripik Beda" in page.text
    assert page.context["totals"][0][2] == 1


def test_it_lists_a_business_whose_class_cannot_be_computed(client, admin, curator, make_business):
    unknown = _with_sales(admin, make_business, "micro", None, name="Tanpa Angka")
    known = _with_sales(admin, make_business, "micro", 100_000_000)
    client.login(username=curator.username, password=PASSWORD)

    page = client.get(reverse("finding_list"), {"finding": "class_unknown"})

    listed = {b.pk for b in page.context["page"]}
    assert unknown.pk in listed
    assert known.pk not in listed


def test_a_volunteer_sees_findings_in_their_own_kelurahan_only(
    client, admin, volunteer, make_business
):
    mine = _with_sales(admin, make_business, "small", 1_000, name="Punya Saya")
    elsewhere = _with_sales(
        admin, make_business, "small", 1_000, name="Di Sukun", kelurahan=SUKUN_KELURAHAN
    )
    client.login(username=volunteer.username, password=PASSWORD)

    page = client.get(reverse("finding_list"))

    listed = {b.pk for b in page.context["page"]}
    assert mine.pk in listed
    assert elsewhere.pk not in listed
    assert "Di Sukun" not in page.text
