"""BusinessFilter: each criterion narrows a scoped queryset, and nothing else does."""

import datetime
import json

import pytest

from conftest import BALEARJOSARI, BUNULREJO, SUKUN_KELURAHAN
from naikkelas.intake.importer import import_file
from naikkelas.intake.synthetic import write_sidt_csv
from naikkelas.registry import services
from naikkelas.registry.access import businesses_for
from naikkelas.registry.filters import BusinessFilter
from naikkelas.registry.models import Business

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(admin, make_business):
    """Keripik (Balearjosari, ready micro food), Rotan (Bunulrejo, same kecamatan, small
    craft) and Batik (Sukun, submitted retail)."""
    keripik = make_business(
        name="Keripik Balearjosari", nib="1234567890123", reported_size_class="micro"
    )
    services.save_financial_record(
        admin, keripik, {"year": datetime.date.today().year - 1, "annual_sales": 900_000_000}
    )
    services.add_detail(admin, keripik, "legality", {"kind": "pirt", "number": "2063573010001-27"})
    services.add_detail(admin, keripik, "legality", {"kind": "halal", "number": "ID35110000123"})
    services.add_detail(admin, keripik, "channel", {"kind": "marketplace", "name": "Shopee"})
    rotan = make_business(
        name="Rotan Bunulrejo", kelurahan=BUNULREJO, kbli="16291", reported_size_class="small"
    )
    services.save_financial_record(admin, rotan, {"year": 2024, "annual_sales": 3_000_000_000})
    batik = make_business(name="Batik Sukun", kelurahan=SUKUN_KELURAHAN, kbli="47711")
    services.submit_business(admin, batik)
    return keripik, rotan, batik


def _names(business_filter, user):
    return sorted(business_filter.apply(businesses_for(user)).values_list("name", flat=True))


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        ({}, ["Batik Sukun", "Keripik Balearjosari", "Rotan Bunulrejo"]),
        ({"q": "rotan"}, ["Rotan Bunulrejo"]),
        ({"q": "1234567890123"}, ["Keripik Balearjosari"]),
        ({"q": "123456789012"}, []),  # a NIB is found whole, not by a part of it
        ({"kecamatan": "35.73.01"}, ["Keripik Balearjosari", "Rotan Bunulrejo"]),
        ({"kecamatan": "35.73.01."}, ["Keripik Balearjosari", "Rotan Bunulrejo"]),
        ({"kecamatan": "35.73.0"}, []),  # a code is whole between its dots
        ({"kecamatan": "35.73"}, ["Batik Sukun", "Keripik Balearjosari", "Rotan Bunulrejo"]),
        ({"kecamatan": BUNULREJO}, ["Rotan Bunulrejo"]),
        ({"kelurahan": BALEARJOSARI}, ["Keripik Balearjosari"]),
        ({"status": "submitted"}, ["Batik Sukun"]),
        ({"sector": "G"}, ["Batik Sukun"]),
        ({"reported_size_class": "small"}, ["Rotan Bunulrejo"]),
        ({"size_class": "small"}, ["Rotan Bunulrejo"]),
        ({"ready": True}, ["Keripik Balearjosari"]),
        ({"ready": False}, ["Batik Sukun", "Rotan Bunulrejo"]),
        ({"nib": "1234567890123"}, ["Keripik Balearjosari"]),
        ({"kecamatan": "35.73.01", "ready": False}, ["Rotan Bunulrejo"]),  # all of them hold
    ],
)
def test_it_narrows_by_each_criterion(curator, city, criteria, expected):
    assert _names(BusinessFilter(**criteria), curator) == expected


def test_it_finds_an_imported_record_by_its_source_key(curator, tmp_path):
    path = tmp_path / "sidt.csv"
    write_sidt_csv(path, 3, seed=1)
    import_file(None, path)
    first, *others = Business.objects.order_by("id")
    assert others

    found = BusinessFilter(source_id=first.source_id).apply(businesses_for(curator))

    assert list(found) == [first]


def test_it_never_widens_the_scope(volunteer, city):
    assert _names(BusinessFilter(kelurahan=SUKUN_KELURAHAN), volunteer) == []
    assert _names(BusinessFilter(kecamatan="35.73"), volunteer) == ["Keripik Balearjosari"]


def test_its_params_are_json_that_rebuild_it():
    business_filter = BusinessFilter(q="keripik", kecamatan="35.73.01", ready=False)

    params = json.loads(json.dumps(business_filter.params()))

    assert params == {"q": "keripik", "kecamatan": "35.73.01", "ready": False}
    assert BusinessFilter(**params) == business_filter
    assert BusinessFilter().params() == {}
