"""A registration form sent twice (a double tap, two parallel posts, a resend after a
timeout) registers one business (issue 22, finding 7)."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from conftest import BALEARJOSARI, PASSWORD
from naikkelas.core.models import AuditEntry, Submission
from naikkelas.regions.models import Region
from naikkelas.registry.models import Business
from naikkelas.registry.tests.test_concurrent_curators import _at_once


def _opened_form(client):
    """The registration form as the page fills it in, ready to send."""
    form = client.get(reverse("business_create")).context["form"]
    key = form["submission"].value()
    data = {
        "name": "Keripik Dobel",
        "owner_name": "Ani",
        "kelurahan": Region.objects.get(code=BALEARJOSARI).pk,
        "kbli": "10792",
        "rw": "2",
        "rt": "3",
        "not_a_duplicate": "on",
        "submission": str(key() if callable(key) else key),
    }
    for paid in ("paid", "unpaid"):
        for who in ("male", "female", "disabled_male", "disabled_female"):
            data[f"{paid}_{who}"] = "0"
    return data


def _created():
    return AuditEntry.objects.filter(action="business.created")


@pytest.mark.django_db
def test_the_same_form_sent_twice_saves_once(client, volunteer):
    client.force_login(volunteer)
    data = _opened_form(client)
    first = client.post(reverse("business_create"), data)
    again = client.post(reverse("business_create"), data, follow=True)
    business = Business.objects.get(name="Keripik Dobel")
    assert first.status_code == 302 and first["Location"].endswith(f"/usaha/{business.pk}/")
    # The second lands on the business the first saved, and says so.
    assert again.redirect_chain[-1][0].endswith(f"/usaha/{business.pk}/")
    assert "sudah terkirim" in again.content.decode()
    assert _created().count() == 1


@pytest.mark.django_db
def test_a_refused_form_corrected_and_sent_with_its_key_saves(client, volunteer):
    client.force_login(volunteer)
    data = _opened_form(client)
    refused = client.post(reverse("business_create"), {**data, "name": " "})
    assert refused.status_code == 200 and not Submission.objects.exists()
    assert client.post(reverse("business_create"), data).status_code == 302
    assert Business.objects.filter(name="Keripik Dobel").count() == 1


@pytest.mark.django_db
def test_another_users_key_is_theirs_alone(client, volunteer, curator):
    """Keys are kept per user (issue 20): the same key sent by someone else neither shows
    them the first user's record nor stops their own write."""
    client.force_login(volunteer)
    data = _opened_form(client)
    client.post(reverse("business_create"), data)
    first = Business.objects.get()
    client.force_login(curator)
    response = client.post(reverse("business_create"), data)
    theirs = Business.objects.exclude(pk=first.pk).get()
    assert response.status_code == 302 and response["Location"].endswith(f"/usaha/{theirs.pk}/")
    assert theirs.created_by == curator
    assert _created().count() == 2


@pytest.mark.usefixtures("reference_data")
def test_two_identical_posts_at_the_same_instant_save_once(volunteer):
    if connection.vendor != "postgresql":
        # As in test_concurrent_curators: the suite's in-memory SQLite does not wait for
        # a lock; the file database in use does, and serialises the two writes anyway.
        pytest.skip("two writers at the same instant are exercised on PostgreSQL")
    clients = [Client(), Client()]
    for c in clients:
        assert c.login(username=volunteer.username, password=PASSWORD)
    data = _opened_form(clients[0])
    url = reverse("business_create")
    statuses = _at_once(*(lambda c=c: c.post(url, data).status_code for c in clients))
    assert statuses == [302, 302]
    assert Business.objects.filter(name="Keripik Dobel").count() == 1
    assert _created().count() == 1
