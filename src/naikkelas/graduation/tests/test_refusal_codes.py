"""Every refusal of a graduation write carries its own code, with its message in the
user's language, and nothing is written."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone, translation

from naikkelas.core.errors import FieldErrors
from naikkelas.core.models import AuditEntry
from naikkelas.graduation import services
from naikkelas.graduation.models import Assessment, Graduation, ReadinessPolicy, SizePolicy
from naikkelas.registry import services as registry
from naikkelas.registry.models import Basis

pytestmark = pytest.mark.django_db
B = 1_000_000_000


def _refused(call: Callable[[], Any]) -> dict[str, list[tuple[str, str]]]:
    with translation.override("id"), pytest.raises(FieldErrors) as refused:
        call()
    return {f: [(r.code, r.message) for r in found] for f, found in refused.value.details.items()}


def _codes(call: Callable[[], Any]) -> dict[str, list[str]]:
    return {f: [code for code, _m in found] for f, found in _refused(call).items()}


@pytest.fixture
def proposed(curator: Any, make_business: Any) -> Graduation:
    business = make_business()
    for year, sales in ((2023, 1 * B), (2024, 3 * B)):
        registry.save_financial_record(
            curator, business, {"year": year, "annual_sales": sales, "basis": Basis.VERIFIED}
        )
    return Graduation.objects.get()


def test_a_graduation_decision_names_the_missing_evidence_or_reason(curator, proposed):
    assert _refused(lambda: services.confirm_graduation(curator, proposed, "rumor", "")) == {
        "evidence_kind": [
            ("invalid_choice", "Sebutkan bukti pendukung yang membuktikan omzet baru.")
        ]
    }
    assert _refused(lambda: services.reject_graduation(curator, proposed, "  ")) == {
        "reason": [("required", "Tuliskan alasannya.")]
    }
    proposed.refresh_from_db()
    assert proposed.status == "proposed"


def test_an_assessment_names_its_bad_date_or_score(curator, make_business):
    business = make_business()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    late = {"assessed_on": tomorrow, "packaging": 4}

    assert _refused(lambda: services.record_assessment(curator, business, late)) == {
        "assessed_on": [("assessment_date_range", "Masukkan tanggal kunjungan.")]
    }
    old = {"assessed_on": datetime.date(1999, 12, 31)}
    assert _codes(lambda: services.record_assessment(curator, business, old)) == {
        "assessed_on": ["assessment_date_range"]
    }
    # What the model refuses keeps the model's own code, not a generic one.
    high = {"assessed_on": timezone.localdate(), "packaging": 6}
    assert _codes(lambda: services.record_assessment(curator, business, high)) == {
        "packaging": ["max_value"]
    }
    assert _codes(lambda: services.record_assessment(curator, business, {})) == {
        "assessed_on": ["null"]
    }
    assert not Assessment.objects.exists()


def test_a_policy_names_its_overlapping_thresholds_and_missing_criteria(admin):
    overlapping = SizePolicy(
        name="Uji", effective_from=datetime.date(2030, 1, 1),
        micro_max_capital=1 * B, small_max_capital=1 * B, medium_max_capital=10 * B,
        micro_max_sales=2 * B, small_max_sales=15 * B, medium_max_sales=50 * B,
    )  # fmt: skip
    message = "Batas harus bernilai positif dan naik berurutan dari mikro ke kecil ke menengah."
    assert _refused(lambda: services.check_size_thresholds(overlapping)) == {
        "small_max_capital": [("thresholds_not_rising", message)]
    }

    empty = ReadinessPolicy.objects.create(name="Kosong", effective_from=datetime.date(2030, 1, 1))
    audited = AuditEntry.objects.count()
    assert _refused(lambda: services.adopt_policy(admin, empty)) == {
        "criteria": [("required", "Kebijakan kesiapan memerlukan paling sedikit satu kriteria.")]
    }
    assert AuditEntry.objects.count() == audited
