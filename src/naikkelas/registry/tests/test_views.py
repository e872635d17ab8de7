import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import BALEARJOSARI, NIK_WOMAN, PASSWORD, SUKUN_KELURAHAN
from naikkelas.core.models import AuditEntry
from naikkelas.registry import services
from naikkelas.registry.models import Business, Status

pytestmark = pytest.mark.django_db


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _form(**extra):
    data = {
        "name": "Kerupuk Sanan Jaya", "owner_name": "Budi Santoso", "kelurahan": BALEARJOSARI,
        "nik": NIK_WOMAN, "phone": "081234567890", "kbli": "10792", "rw": "3", "rt": "5",
        "legal_form": "individual",
        **{f: "0" for f in ("paid_male", "paid_female", "paid_disabled_male",
                            "paid_disabled_female", "unpaid_male", "unpaid_female",
                            "unpaid_disabled_male", "unpaid_disabled_female")},
    }  # fmt: skip
    data.update(extra)
    return data


def test_it_requires_login(client):
    response = client.get(reverse("business_list"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_speaks_indonesian_by_default_and_english_on_request(client, volunteer):
    html = _login(client, volunteer).get(reverse("business_list")).content.decode()
    assert 'lang="id"' in html and "Daftarkan usaha" in html and "Keluar" in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/usaha/"})
    html = client.get(reverse("business_list")).content.decode()
    assert 'lang="en"' in html and "Register a business" in html and "Log out" in html


def test_validation_messages_are_indonesian(client, volunteer):
    response = _login(client, volunteer).post(reverse("business_create"), _form(nik="123"))
    assert "NIK harus" in " ".join(response.context["form"].errors["nik"])


def test_it_lets_a_volunteer_register_a_business(client, volunteer):
    response = _login(client, volunteer).post(reverse("business_create"), _form())
    business = Business.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("business_detail", args=[business.pk])
    assert business.status == Status.DRAFT
    assert business.kelurahan_id == BALEARJOSARI


def test_it_shows_errors_next_to_fields_and_saves_nothing(client, volunteer):
    response = _login(client, volunteer).post(
        reverse("business_create"),
        _form(nik="3573013202900001", nib="12", latitude="91", rt="-1", founding_capital="abc"),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert {"nik", "nib", "latitude", "rt", "founding_capital"} <= set(form.errors)
    assert Business.objects.count() == 0
    assert b"has-error" in response.content


def test_it_refuses_registering_outside_the_volunteers_kelurahan(client, volunteer):
    response = _login(client, volunteer).post(
        reverse("business_create"), _form(kelurahan=SUKUN_KELURAHAN)
    )
    assert response.status_code == 200
    assert "kelurahan" in response.context["form"].errors
    assert Business.objects.count() == 0


def test_the_detail_masks_personal_data(client, volunteer, make_business):
    business = make_business(nik=NIK_WOMAN, phone="081234567890")
    response = _login(client, volunteer).get(reverse("business_detail", args=[business.pk]))
    html = response.content.decode()
    assert "************0002" in html
    assert "08******7890" in html
    assert NIK_WOMAN not in html and "81234567890" not in html


def test_a_curator_reveals_personal_data_and_it_is_audited(client, curator, make_business):
    business = make_business(nik=NIK_WOMAN)
    response = _login(client, curator).post(reverse("business_reveal", args=[business.pk]))
    assert NIK_WOMAN in response.content.decode()
    assert (
        AuditEntry.objects.filter(action="owner.personal_data_revealed", actor=curator).count() == 1
    )


def test_a_volunteer_cannot_reveal(client, volunteer, make_business):
    business = make_business(nik=NIK_WOMAN)
    response = _login(client, volunteer).post(reverse("business_reveal", args=[business.pk]))
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="owner.personal_data_revealed").exists()


def test_the_edit_form_refuses_a_stale_version(client, volunteer, curator, make_business):
    business = make_business()
    stale = business.version
    services.update_business(curator, business, {"name": "Nama Baru"}, expected_version=stale)
    response = _login(client, volunteer).post(
        reverse("business_edit", args=[business.pk]), _form(version=str(stale), name="Tabrakan")
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Business.objects.get(pk=business.pk).name == "Nama Baru"


def test_the_curator_verifies_and_returns_from_the_queue(client, curator, make_business):
    first, second = make_business(), make_business()
    for b in (first, second):
        services.submit_business(curator, b)
    _login(client, curator)
    queue = client.get(reverse("curation_queue"))
    assert first.name in queue.content.decode() and second.name in queue.content.decode()
    client.post(reverse("business_transition", args=[first.pk, "verify"]), {"next": "/kurasi/"})
    client.post(reverse("business_transition", args=[second.pk, "return"]), {"reason": "NIB salah"})
    assert Business.objects.get(pk=first.pk).status == Status.VERIFIED
    returned = Business.objects.get(pk=second.pk)
    assert (returned.status, returned.status_reason) == (Status.RETURNED, "NIB salah")
    assert first.name not in client.get(reverse("curation_queue")).content.decode()


def test_a_return_without_reason_changes_nothing(client, curator, make_business):
    business = make_business()
    services.submit_business(curator, business)
    _login(client, curator).post(reverse("business_transition", args=[business.pk, "return"]), {})
    assert Business.objects.get(pk=business.pk).status == Status.SUBMITTED


def test_the_detail_shows_the_history(client, curator, make_business):
    business = make_business()
    services.submit_business(curator, business)
    html = (
        _login(client, curator).get(reverse("business_detail", args=[business.pk])).content.decode()
    )
    assert "business.created" in html and "business.submitted" in html


def test_details_are_added_and_removed(client, volunteer, make_business):
    business = make_business()
    _login(client, volunteer)
    client.post(
        reverse("business_add_detail", args=[business.pk, "product"]),
        {"name": "Keripik Tempe 250 g", "price": "15000"},
    )
    client.post(
        reverse("business_add_detail", args=[business.pk, "legality"]),
        {"kind": "halal", "number": "ID35110000123"},
    )
    client.post(
        reverse("business_add_financial", args=[business.pk]),
        {"year": "2024", "basis": "reported", "annual_sales": "350000000"},
    )
    business.refresh_from_db()
    assert business.products.get().price == 15000
    assert business.legality.get().kind == "halal"
    assert business.financials.get().annual_sales == 350_000_000
    html = client.get(reverse("business_detail", args=[business.pk])).content.decode()
    assert "Rp350.000.000" in html and "Rp15.000" in html
    product = business.products.get()
    client.post(reverse("business_remove_detail", args=[business.pk, "product", product.pk]))
    assert not business.products.exists()


def test_a_volunteer_cannot_record_verified_figures(client, volunteer, make_business):
    business = make_business()
    response = _login(client, volunteer).post(
        reverse("business_add_financial", args=[business.pk]),
        {"year": "2024", "basis": "verified", "annual_sales": "1"},
    )
    assert response.status_code == 400
    assert not business.financials.exists()


def test_the_list_searches_and_filters_with_counts(client, curator, make_business):
    make_business(name="Keripik Tempe Sanan", nib="1111111111111")
    make_business(name="Toko Berkah", kbli="47111", kelurahan=SUKUN_KELURAHAN)
    _login(client, curator)
    assert client.get(reverse("business_list"), {"q": "sanan"}).context["total"] == 1
    assert client.get(reverse("business_list"), {"q": "1111111111111"}).context["total"] == 1
    assert client.get(reverse("business_list"), {"sector": "G"}).context["total"] == 1
    assert client.get(reverse("business_list"), {"kecamatan": "35.73.04"}).context["total"] == 1
    response = client.get(reverse("business_list"), {"status": "draft"})
    assert response.context["total"] == 2
    counts = {value: n for value, _label, n in response.context["status_counts"]}
    assert counts == {
        "draft": 2,
        "submitted": 0,
        "returned": 0,
        "verified": 0,
        "archived": 0,
        "merged": 0,
    }


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_list_makes_a_constant_number_of_queries(client, curator, make_business):
    _login(client, curator)
    make_business()
    few = _queries(client, reverse("business_list"))
    for _ in range(15):
        make_business()
    assert _queries(client, reverse("business_list")) == few


def test_the_detail_makes_a_constant_number_of_queries(client, curator, make_business):
    business = make_business()
    _login(client, curator)
    url = reverse("business_detail", args=[business.pk])
    few = _queries(client, url)
    for n in range(8):
        services.add_detail(curator, business, "product", {"name": f"Produk {n}"})
        services.add_detail(
            curator, business, "channel", {"kind": "marketplace", "name": f"Toko {n}"}
        )
        services.save_financial_record(curator, business, {"year": 2016 + n, "annual_sales": n})
    assert _queries(client, url) == few


def test_no_table_holds_a_nik_or_phone_in_clear(client, volunteer, curator):
    """Register, edit and reveal through the web, then read every table raw."""
    from django.apps import apps

    _login(client, volunteer).post(reverse("business_create"), _form())
    business = Business.objects.get()
    client.post(
        reverse("business_edit", args=[business.pk]),
        _form(version=str(business.version), nik="3573011201900001", phone="+62 813 9999 0000"),
    )
    client.logout()
    _login(client, curator).post(reverse("business_reveal", args=[business.pk]))
    dump = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            if model._meta.db_table.startswith("regions_"):
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
            dump.append(repr(cursor.fetchall()))
    text = "\n".join(dump)
    assert business.owner.nik == "3573011201900001"  # the edit did go through
    for secret in (NIK_WOMAN, "3573011201900001", "81234567890", "81399990000"):
        assert secret not in text
