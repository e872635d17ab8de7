"""Values a person cannot mean: rupiah past what a BIGINT holds, and names made only of
invisible characters (issue 22, finding 7)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import BALEARJOSARI, _user
from naikkelas.core import rules
from naikkelas.core.errors import FieldErrors
from naikkelas.portal import services as portal
from naikkelas.portal.models import ChangeRequest
from naikkelas.regions.models import Region
from naikkelas.registry import services
from naikkelas.registry.models import Business, FinancialRecord

pytestmark = pytest.mark.django_db

HUGE = 2**63 + 5


@pytest.fixture
def owned(make_business):
    owner = _user("pemilik-batas", "owner")
    business = make_business()
    Business.objects.filter(pk=business.pk).update(owner_account=owner)
    business.refresh_from_db()
    return business, owner


def test_the_amount_rule_has_codes():
    with pytest.raises(ValidationError) as e:
        rules.amount(HUGE)
    assert e.value.code == "amount_too_large"
    with pytest.raises(ValidationError) as e:
        rules.amount(-1)
    assert e.value.code == "amount_negative"
    assert rules.amount(rules.MAX_AMOUNT) == rules.MAX_AMOUNT


def test_an_owner_proposing_sales_past_any_column_is_told_and_nothing_is_stored(client, owned):
    business, owner = owned
    client.force_login(owner)
    response = client.post(
        reverse("portal_propose", args=[business.pk, "financials"]),
        {"year": "2024", "annual_sales": str(HUGE)},
    )
    assert response.status_code in (200, 400)
    assert "terlalu besar" in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_approving_a_stored_proposal_past_the_limit_refuses_instead_of_failing(curator, owned):
    business, _owner = owned
    # A proposal stored before the rule existed.
    change = ChangeRequest.objects.create(
        business=business, kind="financials", proposed={"year": 2024, "annual_sales": HUGE}
    )
    with pytest.raises(FieldErrors) as e:
        portal.approve(curator, change)
    assert set(e.value.errors) == {"annual_sales"}
    assert not FinancialRecord.objects.exists()


def test_a_curator_recording_figures_past_the_limit_is_refused(curator, make_business):
    business = make_business()
    with pytest.raises(FieldErrors) as e:
        services.save_financial_record(
            curator, business, {"year": 2024, "basis": "reported", "annual_sales": HUGE}
        )
    assert set(e.value.errors) == {"annual_sales"}


@pytest.mark.parametrize("name", ["\u200b\u200b", "\u200d\ufeff \u2060", "\u202e"])
def test_a_name_of_invisible_characters_is_empty(volunteer, name):
    data = {
        "name": name, "owner_name": name, "kelurahan": Region.objects.get(code=BALEARJOSARI),
    }  # fmt: skip
    with pytest.raises(FieldErrors) as e:
        services.create_business(volunteer, data)
    assert set(e.value.errors) == {"name", "owner_name"}
    assert not Business.objects.exists()


def test_a_visible_name_keeps_its_letters_without_the_invisible_ones(volunteer):
    data = {
        "name": "Keripik\u200b  Sanan", "owner_name": "Sri",
        "kelurahan": Region.objects.get(code=BALEARJOSARI),
    }  # fmt: skip
    assert services.create_business(volunteer, data).name == "Keripik Sanan"


@pytest.mark.parametrize("month", [0, 13])
def test_the_model_refuses_a_start_month_with_the_services_rule(make_business, month):
    # The model's validator (the admin's, full_clean's) is rules.MONTH itself: the same
    # code and message as the service and the import give.
    business = make_business()
    business.start_month = month
    with pytest.raises(ValidationError) as model:
        business.full_clean()
    with pytest.raises(FieldErrors) as service:
        services.update_business(
            _user("kurator-bulan", "curator"), business, {"start_month": month},
            expected_version=business.version,
        )  # fmt: skip
    refused = model.value.error_dict["start_month"]
    assert [(e.code, e.message) for e in refused] == [("month_range", rules.MONTH.message)]
    assert [r.code for r in service.value.details["start_month"]] == ["month_range"]
    business.start_month = 12
    business.full_clean()
