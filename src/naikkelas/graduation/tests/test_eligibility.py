import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conftest import PASSWORD, SUKUN_KELURAHAN
from naikkelas.graduation import services as graduation
from naikkelas.graduation.models import Graduation
from naikkelas.registry import services
from naikkelas.registry.models import Basis, Business

pytestmark = pytest.mark.django_db
B = 1_000_000_000
LAST_YEAR = datetime.date.today().year - 1


def _ready(admin, make_business, **extra):
    business = make_business(
        nib=f"{1000000000000 + Business.objects.count()}", kbli="10792", **extra
    )
    services.save_financial_record(
        admin, business, {"year": LAST_YEAR, "annual_sales": 800_000_000}
    )
    services.add_detail(admin, business, "legality", {"kind": "pirt", "number": "P-1"})
    services.add_detail(admin, business, "legality", {"kind": "halal", "number": "H-1"})
    services.add_detail(admin, business, "channel", {"kind": "social", "name": "Instagram"})
    return business


@pytest.fixture
def city(admin, make_business):
    balearjosari = _ready(admin, make_business, name="Keripik Balearjosari")
    sukun = _ready(admin, make_business, name="Keripik Sukun", kelurahan=SUKUN_KELURAHAN)
    make_business(name="Belum Siap")
    return balearjosari, sukun


def test_the_list_shows_ready_businesses_within_scope(client, volunteer, curator, city):
    balearjosari, sukun = city
    client.login(username=curator.username, password=PASSWORD)
    html = client.get(reverse("eligibility_list")).content.decode()
    assert balearjosari.name in html and sukun.name in html and "Belum Siap" not in html
    assert (
        client.get(reverse("eligibility_list"), {"kecamatan": "35.73.04"})
        .context["page"]
        .paginator.count
        == 1
    )
    assert (
        client.get(reverse("eligibility_list"), {"min_score": "90"}).context["page"].paginator.count
        == 0
    )
    client.logout()
    client.login(username=volunteer.username, password=PASSWORD)
    html = client.get(reverse("eligibility_list")).content.decode()
    assert balearjosari.name in html and sukun.name not in html


def test_the_excel_export_matches_the_list_and_masks_the_nik(client, curator, city):
    client.login(username=curator.username, password=PASSWORD)
    response = client.get(reverse("eligibility_list"), {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("id", "nama_usaha")
    assert sorted(r[1] for r in rows[1:]) == ["Keripik Balearjosari", "Keripik Sukun"]
    assert all(r[9] == "micro" for r in rows[1:])


def test_the_list_the_page_and_the_api_agree(client, api_client, curator, city):
    client.login(username=curator.username, password=PASSWORD)
    listed = {b.pk for b in client.get(reverse("eligibility_list")).context["page"]}
    api_client.login(username=curator.username, password=PASSWORD)
    api_ready = {
        b["id"] for b in api_client.get("/api/v1/businesses/?ready=true").json()["results"]
    }
    pages = {b.pk for b in Business.objects.all()
             if 'id="ready"' in (html := client.get(reverse("business_detail", args=[b.pk])).content.decode())
             and "status-verified\" id=\"ready\"" in html}  # fmt: skip
    assert listed == api_ready == pages == {b.pk for b in city}


def test_stats_count_the_programme_for_the_callers_scope(
    api_client, curator, volunteer, city, make_business
):
    grad = make_business(
        kelurahan=SUKUN_KELURAHAN, exports=True, export_destinations="Selandia Baru"
    )
    services.submit_business(curator, grad)
    services.verify_business(curator, grad)
    for year, sales in ((LAST_YEAR - 1, 1 * B), (LAST_YEAR, 3 * B)):
        services.save_financial_record(
            curator, grad, {"year": year, "annual_sales": sales, "basis": Basis.VERIFIED}
        )
    graduation.confirm_graduation(curator, Graduation.objects.get(), "tax_report", "SPT")
    api_client.login(username=curator.username, password=PASSWORD)
    stats = api_client.get("/api/v1/stats/").json()
    assert stats.pop("as_of")
    assert stats == {
        "businesses": 4, "verified": 1, "ready": 2, "graduated": 1, "exporters": 1,
    }  # fmt: skip
    assert api_client.get("/api/v1/stats/?region=35.73.04").json()["ready"] == 1
    assert api_client.get("/api/v1/stats/?region=35.73.04.1005").json()["graduated"] == 1
    assert api_client.get("/api/v1/stats/?region=99.99").status_code == 400
    api_client.logout()
    api_client.login(username=volunteer.username, password=PASSWORD)
    stats = api_client.get("/api/v1/stats/").json()
    assert stats.pop("as_of")
    assert stats == {
        "businesses": 2, "verified": 0, "ready": 1, "graduated": 0, "exporters": 0,
    }  # fmt: skip
