"""A registration never writes, nor shows, an owner recorded outside the actor's area.

The attack (issue 22, finding 1): a volunteer of Balearjosari registers a new business
with the NIK of the owner of a verified business in Sukun and new owner fields; the
existing owner (found by the NIK's blind index) was overwritten on every business of that
person, and the volunteer's new page showed the victim's previous values in its history.
"""

import datetime
import json

import pytest
from django.urls import reverse

from conftest import BALEARJOSARI, NIK_WOMAN, PASSWORD, SUKUN_KELURAHAN
from naikkelas.core.errors import FieldErrors, Forbidden
from naikkelas.core.models import AuditEntry
from naikkelas.regions.models import Region
from naikkelas.registry import services
from naikkelas.registry.models import Business, Owner

pytestmark = pytest.mark.django_db

VICTIM = {
    "owner_name": "Sri Wahyuni",
    "gender": "P",
    "birth_date": datetime.date(1985, 3, 12),
    "owner_street": "Jl. Gading Kasri 5",
    "phone": "081234567890",
}


@pytest.fixture
def victim(make_business, curator):
    business = make_business(SUKUN_KELURAHAN, nik=NIK_WOMAN, **VICTIM)
    services.submit_business(curator, business)
    return services.verify_business(curator, business)


def _snapshot(owner: Owner) -> tuple:
    owner.refresh_from_db()
    return (owner.name, owner.gender, owner.birth_date, owner.street, owner.phone, owner.nik)


def _attack(**extra):
    data = {
        "name": "Warung Baru",
        "owner_name": "Penyusup",
        "gender": "L",
        "birth_date": datetime.date(2000, 1, 1),
        "owner_street": "Jl. Lain 1",
        "phone": "089999999999",
        "nik": NIK_WOMAN,
        "kelurahan": Region.objects.get(code=BALEARJOSARI),
    }
    data.update(extra)
    return data


def test_it_never_writes_an_owner_outside_the_volunteers_area(volunteer, victim):
    before = _snapshot(victim.owner)
    business = services.create_business(volunteer, _attack())
    assert _snapshot(victim.owner) == before
    assert business.owner_id != victim.owner_id
    assert business.owner.name == "Penyusup"
    # The victim's business history has no entry from the volunteer.
    assert not AuditEntry.objects.filter(object_id=str(victim.pk), actor=volunteer).exists()


def test_its_history_shows_none_of_the_other_persons_data(client, volunteer, victim):
    business = services.create_business(volunteer, _attack())
    entry = AuditEntry.objects.get(action="business.created", object_id=str(business.pk))
    logged = json.dumps(entry.changes, default=str)
    for value in ("Sri Wahyuni", "Gading Kasri", "1985", "7890"):
        assert value not in logged
    client.login(username=volunteer.username, password=PASSWORD)
    page = client.get(reverse("business_detail", args=[business.pk])).content.decode()
    for value in ("Sri Wahyuni", "Gading Kasri", "1985"):
        assert value not in page


def test_the_web_form_with_not_a_duplicate_ticked_keeps_the_owner(client, volunteer, victim):
    before = _snapshot(victim.owner)
    client.login(username=volunteer.username, password=PASSWORD)
    response = client.post(
        reverse("business_create"),
        {
            "name": "Warung Baru",
            "owner_name": "X",
            "nik": NIK_WOMAN,
            "kelurahan": Region.objects.get(code=BALEARJOSARI).pk,
            "not_a_duplicate": "on",
            **{
                f"{paid}_{who}": "0"
                for paid in ("paid", "unpaid")
                for who in ("male", "female", "disabled_male", "disabled_female")
            },
        },
        follow=True,
    )
    assert response.status_code == 200
    assert _snapshot(victim.owner) == before
    assert "kurator akan menautkan" in response.content.decode()


def test_the_api_create_keeps_the_owner(api_client, volunteer, victim):
    before = _snapshot(victim.owner)
    api_client.force_authenticate(volunteer)
    body = {
        "name": "Warung Baru",
        "owner_name": "Penyusup",
        "nik": NIK_WOMAN,
        "gender": "L",
        "owner_street": "Jl. Lain 1",
        "phone": "089999999999",
        "kelurahan": BALEARJOSARI,
    }
    response = api_client.post("/api/v1/businesses/", body, format="json")
    assert response.status_code == 201, response.content
    assert _snapshot(victim.owner) == before
    assert Business.objects.get(pk=response.json()["id"]).owner_id != victim.owner_id


def test_it_links_a_known_owner_within_scope_without_wiping_blank_fields(volunteer):
    first = services.create_business(volunteer, _attack(name="Toko Pertama", **VICTIM))
    second = services.create_business(
        volunteer, _attack(name="Toko Kedua", owner_name="Sri Wahyuni", gender="", phone="")
    )
    assert second.owner_id == first.owner_id
    owner = Owner.objects.get(pk=first.owner_id)
    # Blank fields kept what was stored; the filled ones changed, and both histories say so.
    assert owner.gender == "P" and owner.phone == "+6281234567890"
    assert owner.birth_date == datetime.date(2000, 1, 1)
    assert AuditEntry.objects.filter(
        action="business.owner_updated", object_id=str(first.pk)
    ).exists()


def test_an_edit_refuses_owner_changes_when_the_person_has_a_business_elsewhere(
    volunteer, curator, victim
):
    here = services.create_business(curator, _attack(owner_name=victim.owner.name, **{}))
    assert here.owner_id == victim.owner_id  # a curator's scope is the whole city
    before = _snapshot(victim.owner)
    with pytest.raises(FieldErrors) as e:
        services.update_business(
            volunteer, here, {"owner_street": "Jl. Dicuri 9"}, expected_version=here.version
        )
    assert set(e.value.errors) == {"owner_street"}
    assert _snapshot(victim.owner) == before


def test_a_curator_links_the_two_records_and_nobody_else_may(client, volunteer, curator, victim):
    business = services.create_business(volunteer, _attack())
    orphan = business.owner_id
    with pytest.raises(Forbidden):
        services.link_owner(volunteer, business)
    assert Business.objects.get(pk=business.pk).owner_id == orphan

    client.login(username=curator.username, password=PASSWORD)
    page = client.get(reverse("business_detail", args=[business.pk])).content.decode()
    assert 'id="known-owner"' in page
    # The first record's business is never offered the later one's typed-in owner.
    victims_page = client.get(reverse("business_detail", args=[victim.pk])).content.decode()
    assert 'id="known-owner"' not in victims_page
    client.post(reverse("business_link_owner", args=[victim.pk]))
    assert Business.objects.get(pk=victim.pk).owner_id == victim.owner_id
    before = _snapshot(victim.owner)
    response = client.post(reverse("business_link_owner", args=[business.pk]))
    assert response.status_code == 302
    business.refresh_from_db()
    assert business.owner_id == victim.owner_id
    assert _snapshot(victim.owner) == before
    assert not Owner.objects.filter(pk=orphan).exists()
    entry = AuditEntry.objects.get(action="business.owner_linked", object_id=str(business.pk))
    assert entry.actor == curator and entry.changes["owner"] == [orphan, victim.owner_id]
    # Nothing left to link: the notice is gone and a second post changes nothing.
    page = client.get(reverse("business_detail", args=[business.pk])).content.decode()
    assert 'id="known-owner"' not in page
    client.post(reverse("business_link_owner", args=[business.pk]))
    assert AuditEntry.objects.filter(action="business.owner_linked").count() == 1
