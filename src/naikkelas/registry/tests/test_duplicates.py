"""The duplicate warning on the entry form (issue 7, item 1), through the real views."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import BALEARJOSARI, NIK_MAN, NIK_WOMAN, PASSWORD, SUKUN_KELURAHAN
from naikkelas.regions.models import Region
from naikkelas.registry import duplicates, services
from naikkelas.registry.models import Business

pytestmark = pytest.mark.django_db

ARJOSARI = "35.73.01.1002"  # shares a boundary with Balearjosari
NIB = "1234567890123"


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _form(**extra):
    data = {
        "name": "Kerupuk Sanan Jaya", "owner_name": "Budi Santoso", "kelurahan": BALEARJOSARI,
        "kbli": "10792", "rw": "3", "rt": "5",
        **{f: "0" for f in ("paid_male", "paid_female", "paid_disabled_male",
                            "paid_disabled_female", "unpaid_male", "unpaid_female",
                            "unpaid_disabled_male", "unpaid_disabled_female")},
    }  # fmt: skip
    data.update(extra)
    return data


def _register(client, **fields):
    return client.post(reverse("business_create"), _form(**fields))


def _warned(response):
    return [c.business for c in response.context["candidates"]]


def test_it_warns_of_an_exact_nib_match_and_saves_nothing(client, volunteer, make_business):
    existing = make_business(name="Batik Tulis Arjuna", nib=NIB)
    response = _register(_login(client, volunteer), nib=NIB)
    assert response.status_code == 200
    assert _warned(response) == [existing]
    assert "same_nib" in response.context["candidates"][0].reasons
    html = response.content.decode()
    assert 'id="duplicate-warning"' in html
    assert reverse("business_detail", args=[existing.pk]) in html
    assert "NIB *********0123" in html
    assert Business.objects.count() == 1


def test_it_warns_of_a_one_letter_typo_in_the_same_kelurahan(client, volunteer, make_business):
    existing = make_business(name="Keripik Tempe Bu Siti", owner_name="Siti Aminah")
    response = _register(
        _login(client, volunteer), name="Keripik Tempe Bu Sitti", owner_name="Siti Aminah"
    )
    assert _warned(response) == [existing]
    assert response.context["candidates"][0].reasons == (
        "similar_name",
        "similar_owner",
        "same_kelurahan",
    )
    assert "Keripik Tempe Bu Siti" in response.content.decode()
    assert Business.objects.count() == 1


def test_it_treats_titles_case_and_punctuation_as_the_same_name(client, volunteer, make_business):
    existing = make_business(name="UD. Sumber Rejeki")
    response = _register(_login(client, volunteer), name="sumber rejeki")
    assert _warned(response) == [existing]
    assert duplicates.name_key("Toko Hj. Siti, CV") == duplicates.name_key("SITI") == "siti"


def test_it_lets_a_different_business_in_the_same_kelurahan_through(
    client, volunteer, make_business
):
    make_business(name="Rotan Jaya Abadi", owner_name="Slamet Riyadi")
    response = _register(_login(client, volunteer), name="Kerupuk Sanan Jaya")
    assert response.status_code == 302
    assert Business.objects.count() == 2


def test_it_ignores_a_similar_name_in_a_far_kelurahan(client, curator, make_business):
    make_business(kelurahan=SUKUN_KELURAHAN, name="Kerupuk Sanan Jaya", owner_name="Budi Santoso")
    response = _register(_login(client, curator))
    assert response.status_code == 302
    assert Business.objects.count() == 2


def test_it_warns_of_a_neighbour_only_when_the_owner_is_similar_too(client, curator, make_business):
    assert ARJOSARI in duplicates.neighbours(BALEARJOSARI)
    same_owner = make_business(
        kelurahan=ARJOSARI, name="Kerupuk Sanan Jaya", owner_name="Pak Budi Santoso"
    )
    make_business(kelurahan=ARJOSARI, name="Kerupuk Sanan Jaya!", owner_name="Wahyu Hidayat")
    response = _register(_login(client, curator))
    assert _warned(response) == [same_owner]
    assert "neighbouring_kelurahan" in response.context["candidates"][0].reasons


def test_it_saves_once_the_volunteer_ticks_not_a_duplicate(client, volunteer, make_business):
    make_business(name="Keripik Tempe Bu Siti")
    client = _login(client, volunteer)
    warned = _register(client, name="Keripik Tempe Bu Sitti")
    assert b'name="not_a_duplicate"' in warned.content
    response = _register(client, name="Keripik Tempe Bu Sitti", not_a_duplicate="on")
    assert response.status_code == 302
    assert Business.objects.filter(name="Keripik Tempe Bu Sitti").exists()


def test_it_warns_of_the_same_nik_under_another_name(client, volunteer, make_business):
    existing = make_business(name="Batik Tulis Arjuna", owner_name="Ani", nik=NIK_WOMAN)
    response = _register(_login(client, volunteer), nik=NIK_WOMAN)
    assert _warned(response) == [existing]
    assert response.context["candidates"][0].reasons == ("same_nik", "same_kelurahan")
    assert Business.objects.count() == 1


def test_it_warns_of_the_same_phone_in_any_spelling(client, volunteer, make_business):
    existing = make_business(name="Batik Tulis Arjuna", phone="081234567890")
    response = _register(_login(client, volunteer), phone="+62 812-3456-7890")
    assert _warned(response) == [existing]


def test_it_tells_a_volunteer_only_that_a_match_exists_elsewhere(client, volunteer, make_business):
    hidden = make_business(
        kelurahan=SUKUN_KELURAHAN, name="Kerupuk Sanan Jaya", nib=NIB, nik=NIK_MAN
    )
    response = _register(_login(client, volunteer), nib=NIB, nik=NIK_MAN)
    (candidate,) = response.context["candidates"]
    assert candidate.business is None
    assert candidate.reasons == ("same_nib", "same_nik")
    html = response.content.decode()
    box = html[html.index('id="duplicate-warning"') : html.index("</ul>")]
    assert "another kelurahan" in box or "kelurahan lain" in box
    assert reverse("business_detail", args=[hidden.pk]) not in html
    assert hidden.name not in box and "Sukun" not in box and hidden.owner.name not in html
    assert Business.objects.count() == 1


def test_it_never_shows_a_volunteer_a_similar_name_outside_their_kelurahan(
    client, volunteer, make_business
):
    # Arjosari neighbours Balearjosari, but this volunteer does not work there.
    make_business(kelurahan=ARJOSARI, name="Kerupuk Sanan Jaya", owner_name="Budi Santoso")
    response = _register(_login(client, volunteer))
    assert response.status_code == 302


def test_it_skips_archived_records(client, curator, make_business):
    archived = make_business(name="Kerupuk Sanan Jaya")
    services.archive_business(curator, archived, "Tutup")
    response = _register(_login(client, curator))
    assert response.status_code == 302


def test_it_warns_on_edit_only_when_the_name_or_an_identifier_changes(
    client, volunteer, make_business
):
    make_business(name="Keripik Tempe Bu Siti")
    edited = make_business(name="Rotan Jaya Abadi")
    client = _login(client, volunteer)
    url = reverse("business_edit", args=[edited.pk])
    unchanged = client.post(url, _form(name="Rotan Jaya Abadi", version=edited.version))
    assert unchanged.status_code == 302
    edited.refresh_from_db()
    renamed = client.post(url, _form(name="Keripik Tempe Bu Sitti", version=edited.version))
    assert renamed.status_code == 200 and renamed.context["candidates"]
    assert Business.objects.get(pk=edited.pk).name == "Rotan Jaya Abadi"


def test_it_serves_the_warning_fragment_as_the_volunteer_types(client, volunteer, make_business):
    existing = make_business(name="Keripik Tempe Bu Siti", nib=NIB)
    client = _login(client, volunteer)
    url = reverse("business_check_duplicates")
    response = client.get(
        url, {"name": "keripik tempe bu sitti", "kelurahan": BALEARJOSARI}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="duplicate-warning"' in html and "<html" not in html
    assert reverse("business_detail", args=[existing.pk]) in html
    assert b"duplicate-warning" in client.get(url, {"nib": NIB}).content
    # The record being edited is not its own duplicate.
    assert client.get(url, {"nib": NIB, "business": existing.pk}).content.strip() == b""
    assert client.get(url, {"name": "Rotan Jaya Abadi", "kelurahan": BALEARJOSARI}).content.strip() == b""  # fmt: skip


def test_the_fragment_is_for_those_who_register(client, leader):
    response = _login(client, leader).get(reverse("business_check_duplicates"), {"nib": NIB})
    assert response.status_code == 403


def test_the_check_costs_the_same_queries_with_more_businesses(curator, make_business):
    data = {
        "name": "Keripik Tempe Bu Sitti",
        "owner_name": "Siti Aminah",
        "nib": NIB,
        "phone": "081234567890",
        "kelurahan": Region.objects.get(code=BALEARJOSARI),
    }
    make_business(name="Keripik Tempe Bu Siti", nib=NIB)
    duplicates.neighbours(BALEARJOSARI)  # read once per process, not per check

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            found = duplicates.likely_duplicates(curator, data)
        return len(queries), len(found)

    few, found = count()
    for n in range(8):
        make_business(name=f"Keripik Tempe Bu Siti {n}", phone="081234567890")
        make_business(kelurahan=ARJOSARI, name=f"Keripik Tempe Bu Sitti {n}")
    assert count() == (few, 5)
    assert few <= 3 and found == 1


def test_the_name_key_folds_the_spellings_of_one_name():
    # Old (pre-1972) spelling, Arabic-origin transliterations, doubled letters, short forms.
    assert duplicates.name_key("Warung Mochammad Noer") == duplicates.name_key("Muhammad Nur")
    assert duplicates.name_key("Moh. Achmad") == duplicates.name_key("MUHAMAD AKHMAD")
    assert duplicates.name_key("Sitti Djoko Tjahjo") == duplicates.name_key("Siti Joko Cahjo")
    assert duplicates.name_key("Abd. Rachman") == duplicates.name_key("Abdul Rahman")
    # Another name stays another name.
    assert duplicates.name_key("Bakso Pak Joko") != duplicates.name_key("Bakso Pak Jono")
