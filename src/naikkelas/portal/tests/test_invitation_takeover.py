"""Inviting an e-mail that already has an account links nothing and resets nothing
without that owner's consent (issue 22, finding 2).

The attack: a curator posted the e-mail of an existing owner account to
`/usaha/<id>/undang-pemilik/` and got a password-set link for that account; using it
changed the account's password and attached the stranger's business to it.
"""

import re
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from conftest import PASSWORD, _user
from naikkelas.core.models import AuditEntry
from naikkelas.portal import services
from naikkelas.portal.models import LinkOffer, OfferStatus
from naikkelas.registry.models import Business

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(make_business: Any) -> Any:
    """An owner who signs in with their own password and runs one business."""
    user = _user("pemilik-lama", "owner")
    user.email = "sri@example.id"
    user.save()
    own = make_business(name="Usaha Milik Sri")
    Business.objects.filter(pk=own.pk).update(owner_account=user)
    return user


def _password_hash(user: Any) -> str:
    user.refresh_from_db()
    return user.password


@pytest.mark.parametrize("typed", ["sri@example.id", "SRI@Example.ID"])
def test_it_hands_out_no_link_for_an_existing_account(
    client: Any, curator: Any, make_business: Any, account: Any, typed: str
) -> None:
    stranger = make_business(name="Usaha Orang Lain")
    before = _password_hash(account)
    client.force_login(curator)
    response = client.post(reverse("portal_invite", args=[stranger.pk]), {"email": typed})
    page = response.content.decode()
    assert response.status_code == 200
    assert "/pemilik/undangan/" not in page
    assert 'id="invitation-offered"' in page
    stranger.refresh_from_db()
    assert stranger.owner_account_id is None
    assert _password_hash(account) == before
    offer = LinkOffer.objects.get(business=stranger)
    assert offer.account == account and offer.status == OfferStatus.PENDING
    # Inviting again does not pile offers up.
    client.post(reverse("portal_invite", args=[stranger.pk]), {"email": typed})
    assert LinkOffer.objects.filter(business=stranger).count() == 1


def test_a_reset_token_for_an_account_with_a_password_opens_nothing(
    client: Any, account: Any
) -> None:
    """Whatever link reaches the invitation page, it never resets a chosen password."""
    before = _password_hash(account)
    uid = urlsafe_base64_encode(force_bytes(account.pk))
    url = reverse("portal_invitation", args=[uid, default_token_generator.make_token(account)])
    page = client.get(url, follow=True)
    client.post(
        page.redirect_chain[-1][0] if page.redirect_chain else url,
        {"new_password1": "Diambil-alih-99", "new_password2": "Diambil-alih-99"},
    )
    assert _password_hash(account) == before


def test_the_owner_accepts_or_declines_in_their_portal(
    client: Any, curator: Any, make_business: Any, account: Any
) -> None:
    second, third = make_business(name="Usaha Kedua"), make_business(name="Usaha Ketiga")
    _account, path = services.invite_owner(curator, second, "sri@example.id")
    assert path == ""
    services.invite_owner(curator, third, "sri@example.id")
    client.login(username=account.username, password=PASSWORD)
    home = client.get(reverse("portal_home")).content.decode()
    assert "Usaha Kedua" in home and "Usaha Ketiga" in home
    offers = {o.business_id: o for o in LinkOffer.objects.all()}

    # Another owner cannot answer it: it does not exist for them.
    intruder = _user("pemilik-lain", "owner")
    client.force_login(intruder)
    url = reverse("portal_answer_offer", args=[offers[second.pk].pk, "accept"])
    assert client.post(url).status_code == 404
    second.refresh_from_db()
    assert second.owner_account_id is None

    client.force_login(account)
    assert client.post(url).status_code == 302
    decline = reverse("portal_answer_offer", args=[offers[third.pk].pk, "decline"])
    assert client.post(decline).status_code == 302
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.owner_account == account
    assert third.owner_account_id is None
    assert AuditEntry.objects.filter(
        action="business.owner_account_linked", object_id=str(second.pk), actor=account
    ).exists()
    # Answered offers are gone from the portal and cannot be answered again.
    assert client.post(url).status_code == 404
    assert "Usaha Ketiga" not in client.get(reverse("portal_home"), follow=True).content.decode()


def test_a_staff_e_mail_is_refused(client: Any, curator: Any, make_business: Any) -> None:
    staff = _user("staf", "curator")
    staff.email = "staf@malangkota.go.id"
    staff.save()
    business = make_business()
    client.force_login(curator)
    response = client.post(
        reverse("portal_invite", args=[business.pk]), {"email": "Staf@MalangKota.go.id"}
    )
    assert "/pemilik/undangan/" not in response.content.decode()
    business.refresh_from_db()
    assert business.owner_account_id is None and not LinkOffer.objects.exists()


def test_a_new_e_mail_still_gets_its_one_time_link(
    client: Any, curator: Any, make_business: Any
) -> None:
    business = make_business()
    client.force_login(curator)
    response = client.post(
        reverse("portal_invite", args=[business.pk]), {"email": "baru@example.id"}
    )
    assert re.search(r'value="http://testserver/pemilik/undangan/', response.content.decode())
    business.refresh_from_db()
    assert business.owner_account.email == "baru@example.id"
