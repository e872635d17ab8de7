import datetime

import pytest
from django.urls import reverse

from conftest import PASSWORD
from naikkelas.core.errors import DomainError, Forbidden
from naikkelas.core.models import AuditEntry
from naikkelas.monitoring import services
from naikkelas.monitoring.models import Target
from naikkelas.regions.models import Region

pytestmark = pytest.mark.django_db


def _data(**changes):
    data = {
        "indicator": "graduated",
        "starts_on": datetime.date(2025, 1, 15),
        "ends_on": datetime.date(2025, 12, 1),
        "region": None,
        "value": 4000,
        "note": "",
    }
    data.update(changes)
    return data


def test_it_saves_a_target_for_whole_months_with_an_audit_entry(admin):
    target = services.create_target(admin, _data())
    assert (target.starts_on, target.ends_on) == (
        datetime.date(2025, 1, 1),
        datetime.date(2025, 12, 1),
    )
    assert AuditEntry.objects.filter(action="target.created", object_id=str(target.pk)).exists()


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"value": -1}, "negative_target"),
        ({"ends_on": datetime.date(2024, 12, 1)}, "period_order"),
        ({"region": "35.07.01"}, "region_outside"),  # a kecamatan of Kabupaten Malang
        ({"region": "35.73"}, "region_outside"),  # the city is the empty region
    ],
)
def test_it_refuses_a_bad_target_and_saves_nothing(admin, changes, code):
    if "region" in changes:
        changes["region"] = Region.objects.get(code=changes["region"])
    with pytest.raises(DomainError) as refused:
        services.create_target(admin, _data(**changes))
    assert refused.value.code == code
    assert not Target.objects.exists()
    assert not AuditEntry.objects.filter(action="target.created").exists()


def test_only_an_administrator_sets_targets(leader, client):
    with pytest.raises(Forbidden):
        services.create_target(leader, _data())
    client.login(username=leader.username, password=PASSWORD)
    assert client.get(reverse("target_list")).status_code == 403


def test_the_form_says_why_in_indonesian(admin, client):
    client.login(username=admin.username, password=PASSWORD)
    response = client.post(
        reverse("target_list"),
        {"indicator": "verified", "starts_on": "2025-06", "ends_on": "2025-01", "value": "30000"},
    )
    assert response.status_code == 200
    assert "Periode berakhir sebelum dimulai." in response.content.decode()
    response = client.post(
        reverse("target_list"),
        {"indicator": "verified", "starts_on": "2025-01", "ends_on": "2025-06", "value": "-5"},
    )
    assert "Sasaran tidak boleh negatif." in response.content.decode()
    assert not Target.objects.exists()
    response = client.post(
        reverse("target_list"),
        {"indicator": "verified", "starts_on": "2025-01", "ends_on": "2025-06", "value": "30000",
         "region": "35.73.01"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Target.objects.get().region_id == "35.73.01"
