import datetime
import re
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from naikkelas.accounts.models import Role
from naikkelas.core.errors import DomainError, Forbidden
from naikkelas.core.models import AuditEntry
from naikkelas.portal import services
from naikkelas.portal.models import ChangeRequest, ChangeStatus
from naikkelas.programs import services as programmes
from naikkelas.programs.models import Enrolment
from naikkelas.registry import services as registry
from naikkelas.registry.models import Business

TODAY = timezone.localdate()
NIB_A = "1234567890123"


@pytest.fixture
def invited(client: Any, curator: Any, make_business: Any) -> tuple[Business, Any]:
    """Business A, verified, its owner invited by a curator and signed up through the link."""
    business = make_business(nib=NIB_A, name="Keripik Bu Sri")
    registry.submit_business(curator, business)
    registry.verify_business(curator, business)
    client.force_login(curator)
    response = client.post(
        reverse("portal_invite", args=[business.pk]), {"email": "sri@example.id"}
    )
    link = re.search(
        r'value="http://testserver(/pemilik/undangan/[^"]+)"', response.content.decode()
    )
    assert link, "the curator sees the invitation link"
    client.logout()
    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1),
        {"new_password1": PASSWORD + "-x", "new_password2": PASSWORD + "-x"},
    )
    business.refresh_from_db()
    return business, business.owner_account


def test_it_invites_an_owner_who_signs_in_with_nib_or_email(invited: Any, client: Any) -> None:
    _business, owner = invited
    assert owner.role == Role.OWNER
    assert authenticate(username=NIB_A, password=PASSWORD + "-x") == owner
    assert authenticate(username="SRI@example.id", password=PASSWORD + "-x") == owner
    assert authenticate(username=NIB_A, password="wrong") is None

    response = client.post(
        reverse("login"), {"username": NIB_A, "password": PASSWORD + "-x"}, follow=True
    )
    html = response.content.decode()
    assert "Keripik Bu Sri" in html
    assert 'id="gaps"' in html
    assert AuditEntry.objects.filter(action="business.owner_invited").count() == 1


def test_a_nib_two_owner_accounts_share_signs_in_neither(
    invited: Any, make_business: Any, django_user_model: Any
) -> None:
    # One NIB can cover several businesses; it names an owner only while it is one.
    _business, owner = invited
    outlet = make_business(nib=NIB_A, name="Keripik Bu Sri Cabang")
    assert authenticate(username=NIB_A, password=PASSWORD + "-x") == owner
    other = django_user_model.objects.create_user("pemilik-lain", role=Role.OWNER)
    Business.objects.filter(pk=outlet.pk).update(owner_account=other)

    assert authenticate(username=NIB_A, password=PASSWORD + "-x") is None
    assert authenticate(username="sri@example.id", password=PASSWORD + "-x") == owner


def test_it_never_opens_a_staff_account_by_nib(curator: Any, make_business: Any) -> None:
    business = make_business(nib="9999999999999")
    Business.objects.filter(pk=business.pk).update(owner_account=curator)
    assert authenticate(username="9999999999999", password=PASSWORD) is None
    assert authenticate(username="kurator-t", password=PASSWORD) == curator


def test_it_applies_a_change_request_only_after_approval(invited: Any, curator: Any) -> None:
    business, owner = invited
    correction = services.propose(
        owner, business, "correction", {"name": "Keripik Sri Rejeki", "rt": 5}
    )
    figures = services.propose(
        owner, business, "financials", {"year": TODAY.year - 1, "annual_sales": 400_000_000}
    )
    business.refresh_from_db()
    assert business.name == "Keripik Bu Sri" and business.rt == 3
    assert not business.financials.exists()

    services.approve(curator, correction)
    services.approve(curator, figures)
    business.refresh_from_db()
    assert business.name == "Keripik Sri Rejeki" and business.rt == 5
    assert business.financials.get().annual_sales == 400_000_000
    assert AuditEntry.objects.filter(action="change_request.approved").count() == 2
    assert AuditEntry.objects.filter(action="business.updated", object_id=str(business.pk)).exists()
    with pytest.raises(DomainError):
        services.approve(curator, correction)


def test_it_returns_a_change_request_with_a_note(invited: Any, curator: Any) -> None:
    business, owner = invited
    request = services.propose(owner, business, "correction", {"name": "Nama Lain"})
    returned = services.return_request(curator, request, "Lampirkan akta")
    assert returned.status == ChangeStatus.RETURNED
    business.refresh_from_db()
    assert business.name == "Keripik Bu Sri"
    with pytest.raises(Forbidden):
        services.approve(owner, request)


def test_it_lets_the_owner_apply_to_a_recommended_programme(
    invited: Any, client: Any, manager: Any
) -> None:
    business, owner = invited
    programme = programmes.create_programme(
        manager,
        {"name": "Klinik Kemasan", "type": "training", "organiser": "Diskopindag",
         "starts_on": TODAY, "ends_on": TODAY + datetime.timedelta(days=30), "capacity": 5,
         "criteria": ["packaging", "nib", "bookkeeping", "branding", "product_legality"]},
    )  # fmt: skip
    client.force_login(owner)
    page = client.get(reverse("portal_business", args=[business.pk])).content.decode()
    assert "Klinik Kemasan" in page
    client.post(reverse("portal_apply", args=[business.pk]), {"programme": programme.pk})
    assert Enrolment.objects.get(business=business).programme == programme


def _matrix(
    other: Business, product_id: int, request_id: int
) -> list[tuple[str, str, dict[str, Any]]]:
    b = other.pk
    return [
        ("get", reverse("portal_business", args=[b]), {}),
        ("post", reverse("portal_apply", args=[b]), {"programme": 1}),
        ("get", reverse("portal_propose", args=[b, "correction"]), {}),
        ("post", reverse("portal_propose", args=[b, "correction"]), {"name": "X"}),
        (
            "post",
            reverse("portal_propose", args=[b, "financials"]),
            {"year": 2024, "annual_sales": 1},
        ),
        ("get", reverse("portal_change_detail", args=[request_id]), {}),
        ("post", reverse("portal_change_detail", args=[request_id]), {"decision": "approve"}),
        ("get", reverse("portal_invite", args=[b]), {}),
        ("get", reverse("catalog_listing_edit", args=[b]), {}),
        (
            "post",
            reverse("catalog_listing_edit", args=[b]),
            {"listed": "on", "contact_kind": "none"},
        ),
        ("post", reverse("catalog_photo_add", args=[b, product_id]), {}),
        ("get", reverse("business_detail", args=[b]), {}),
        ("get", reverse("business_edit", args=[b]), {}),
        ("post", reverse("business_edit", args=[b]), {"name": "X"}),
        ("post", reverse("business_reveal", args=[b]), {}),
        ("post", reverse("business_add_financial", args=[b]), {"year": 2024, "annual_sales": 1}),
        ("post", reverse("business_add_detail", args=[b, "product"]), {"name": "X", "price": 1}),
        ("post", reverse("business_remove_detail", args=[b, "product", product_id]), {}),
        ("post", reverse("business_transition", args=[b, "submit"]), {}),
        ("post", reverse("business_assess", args=[b]), {}),
        ("get", f"/api/v1/businesses/{b}/", {}),
        ("patch", f"/api/v1/businesses/{b}/", {"name": "X"}),
        ("post", f"/api/v1/businesses/{b}/submit/", {}),
    ]


def test_it_answers_404_for_every_url_of_another_business(
    invited: Any, client: Any, admin: Any, make_business: Any
) -> None:
    _own, owner = invited
    other = make_business(name="Usaha Tetangga")
    registry.add_detail(admin, other, "product", {"name": "Tempe", "price": 5000})
    product_id = other.products.get().pk
    request = ChangeRequest.objects.create(
        business=other, kind="correction", proposed={"name": "Y"}
    )
    before = Business.objects.values().get(pk=other.pk)
    client.force_login(owner)

    for method, url, data in _matrix(other, product_id, request.pk):
        if method == "patch":
            response = client.patch(url, data, content_type="application/json")
        else:
            response = getattr(client, method)(url, data)
        assert response.status_code == 404, (method, url, response.status_code)

    assert Business.objects.values().get(pk=other.pk) == before
    assert other.products.count() == 1
    assert ChangeRequest.objects.get(pk=request.pk).status == ChangeStatus.PENDING
    listed = client.get(reverse("business_list")).content.decode()
    assert "Usaha Tetangga" not in listed
    api = client.get("/api/v1/businesses/").json()
    assert [item["id"] for item in api["results"]] == [_own.pk]
