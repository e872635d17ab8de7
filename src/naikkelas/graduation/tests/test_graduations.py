import datetime

import pytest
from django.urls import reverse

from conftest import PASSWORD
from naikkelas.core.errors import FieldErrors, Forbidden, InvalidTransition
from naikkelas.graduation import services
from naikkelas.graduation.engine import recompute
from naikkelas.graduation.models import Graduation, SizePolicy
from naikkelas.registry import services as registry
from naikkelas.registry.models import Basis

pytestmark = pytest.mark.django_db
B = 1_000_000_000


def _figures(actor, business, *years):
    for year, sales, basis in years:
        registry.save_financial_record(
            actor, business, {"year": year, "annual_sales": sales, "basis": basis}
        )


def test_a_higher_verified_year_proposes_a_graduation(curator, make_business):
    business = make_business()
    _figures(
        curator,
        business,
        (2023, 1_500_000_000, Basis.VERIFIED),
        (2024, 2_600_000_000, Basis.VERIFIED),
    )
    graduation = Graduation.objects.get(business=business)
    assert (graduation.from_class, graduation.to_class) == ("micro", "small")
    assert (graduation.from_year, graduation.to_year, graduation.status) == (2023, 2024, "proposed")
    recompute()
    assert Graduation.objects.count() == 1  # proposed once


def test_reported_figures_never_propose(curator, make_business):
    business = make_business()
    _figures(curator, business, (2023, 1 * B, Basis.VERIFIED), (2024, 9 * B, Basis.REPORTED))
    assert not Graduation.objects.exists()


def test_the_same_class_proposes_nothing(curator, make_business):
    business = make_business()
    _figures(curator, business, (2023, 1 * B, Basis.VERIFIED), (2024, 2 * B, Basis.VERIFIED))
    assert not Graduation.objects.exists()


def test_a_curator_confirms_with_evidence_and_it_survives_a_policy_change(curator, make_business):
    business = make_business()
    _figures(curator, business, (2023, 1 * B, Basis.VERIFIED), (2024, 3 * B, Basis.VERIFIED))
    graduation = Graduation.objects.get()
    with pytest.raises(FieldErrors):
        services.confirm_graduation(curator, graduation, "", "")
    services.confirm_graduation(curator, graduation, "tax_report", "SPT 2024")
    with pytest.raises(InvalidTransition):
        services.reject_graduation(curator, graduation, "late")
    SizePolicy.objects.create(
        name="Lokal", effective_from=datetime.date(2024, 1, 1),
        micro_max_capital=1 * B, small_max_capital=5 * B, medium_max_capital=10 * B,
        micro_max_sales=5 * B, small_max_sales=15 * B, medium_max_sales=50 * B,
    )  # fmt: skip
    recompute()
    graduation.refresh_from_db()
    assert (graduation.status, graduation.to_class, graduation.evidence_kind) == (
        "confirmed",
        "small",
        "tax_report",
    )
    assert graduation.size_policy.name == "PP 7/2021 Pasal 35"


def test_volunteers_cannot_decide(volunteer, curator, make_business):
    business = make_business()
    _figures(curator, business, (2023, 1 * B, Basis.VERIFIED), (2024, 3 * B, Basis.VERIFIED))
    with pytest.raises(Forbidden):
        services.confirm_graduation(volunteer, Graduation.objects.get(), "tax_report", "")


def test_the_queue_confirms_and_rejects(client, curator, make_business):
    first, second = make_business(), make_business()
    for b in (first, second):
        _figures(curator, b, (2023, 1 * B, Basis.VERIFIED), (2024, 3 * B, Basis.VERIFIED))
    g1, g2 = Graduation.objects.get(business=first), Graduation.objects.get(business=second)
    client.login(username=curator.username, password=PASSWORD)
    page = client.get(reverse("graduation_queue")).content.decode()
    assert first.name in page and second.name in page
    client.post(
        reverse("graduation_decide", args=[g1.pk, "confirm"]), {"evidence_kind": "bank_statement"}
    )
    client.post(reverse("graduation_decide", args=[g2.pk, "reject"]), {"reason": ""})
    g1.refresh_from_db(), g2.refresh_from_db()
    assert g1.status == "confirmed" and g2.status == "proposed"
    client.post(
        reverse("graduation_decide", args=[g2.pk, "reject"]), {"reason": "Omzet belum terbukti"}
    )
    g2.refresh_from_db()
    assert (g2.status, g2.reason) == ("rejected", "Omzet belum terbukti")
    detail = client.get(reverse("business_detail", args=[first.pk])).content.decode()
    assert "2023" in detail and "Rp3.000.000.000" in detail


def test_a_volunteer_outside_scope_gets_404_and_inside_403(
    client, volunteer, sukun_volunteer, curator, make_business
):
    business = make_business()
    _figures(curator, business, (2023, 1 * B, Basis.VERIFIED), (2024, 3 * B, Basis.VERIFIED))
    url = reverse("graduation_decide", args=[Graduation.objects.get().pk, "confirm"])
    client.login(username=sukun_volunteer.username, password=PASSWORD)
    assert client.post(url, {"evidence_kind": "tax_report"}).status_code == 404
    client.login(username=volunteer.username, password=PASSWORD)
    assert client.post(url, {"evidence_kind": "tax_report"}).status_code == 403
    assert client.get(reverse("graduation_queue")).status_code == 403
    assert Graduation.objects.get().status == "proposed"
