import datetime

import pytest

from conftest import PASSWORD
from naikkelas.core.models import AuditEntry
from naikkelas.graduation.models import ReadinessPolicy, SizePolicy, Standing
from naikkelas.registry import services

pytestmark = pytest.mark.django_db
B = 1_000_000_000


@pytest.fixture
def staff_admin(admin):
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    return admin


def _size_form(**extra):
    data = {
        "name": "Perwali 2026", "effective_from": "2026-01-01",
        "micro_max_capital": str(1 * B), "small_max_capital": str(5 * B), "medium_max_capital": str(10 * B),
        "micro_max_sales": str(5 * B), "small_max_sales": str(15 * B), "medium_max_sales": str(50 * B),
    }  # fmt: skip
    data.update(extra)
    return data


def test_an_administrator_adds_a_size_policy_and_everything_is_recomputed(
    client, staff_admin, make_business
):
    business = make_business()
    services.save_financial_record(staff_admin, business, {"year": 2025, "annual_sales": 3 * B})
    assert Standing.objects.get(business=business).size_class == "small"
    client.login(username=staff_admin.username, password=PASSWORD)
    response = client.post("/django-admin/graduation/sizepolicy/add/", _size_form())
    assert response.status_code == 302, response.content[:2000]
    policy = SizePolicy.objects.get(name="Perwali 2026")
    standing = Standing.objects.get(business=business)
    assert (standing.size_class, standing.size_policy_id) == ("micro", policy.pk)
    assert AuditEntry.objects.filter(action="policy.adopted", object_id=str(policy.pk)).exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"small_max_sales": str(1 * B)},  # overlaps micro (up to 5 bn)
        {"medium_max_capital": str(5 * B)},  # equal bounds: an empty class
        {"micro_max_sales": "-1"},
    ],
)
def test_overlapping_thresholds_are_refused(client, staff_admin, bad):
    client.login(username=staff_admin.username, password=PASSWORD)
    response = client.post("/django-admin/graduation/sizepolicy/add/", _size_form(**bad))
    assert response.status_code == 200
    assert SizePolicy.objects.count() == 1


def test_a_readiness_policy_without_criteria_is_refused(client, staff_admin):
    client.login(username=staff_admin.username, password=PASSWORD)
    data = {
        "name": "Kosong", "effective_from": "2026-01-01", "pass_score": "3",
        "criteria-TOTAL_FORMS": "0", "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0", "criteria-MAX_NUM_FORMS": "8",
    }  # fmt: skip
    response = client.post("/django-admin/graduation/readinesspolicy/add/", data)
    assert response.status_code == 200
    assert ReadinessPolicy.objects.count() == 1


def test_a_policy_in_use_cannot_be_edited_or_deleted(client, staff_admin):
    client.login(username=staff_admin.username, password=PASSWORD)
    policy = SizePolicy.objects.get()
    client.post(
        f"/django-admin/graduation/sizepolicy/{policy.pk}/change/",
        _size_form(micro_max_sales=str(9 * B)),
    )
    policy.refresh_from_db()
    assert policy.micro_max_sales == 2 * B
    response = client.post(
        f"/django-admin/graduation/sizepolicy/{policy.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    assert SizePolicy.objects.filter(pk=policy.pk).exists()


def test_a_future_policy_changes_nothing_until_it_takes_effect(client, staff_admin, make_business):
    business = make_business()
    services.save_financial_record(staff_admin, business, {"year": 2025, "annual_sales": 3 * B})
    client.login(username=staff_admin.username, password=PASSWORD)
    future = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    client.post("/django-admin/graduation/sizepolicy/add/", _size_form(effective_from=future))
    assert Standing.objects.get(business=business).size_class == "small"
