import datetime
from typing import Any

import pytest
from django.utils import timezone

from naikkelas.programs import services as programmes
from naikkelas.programs.models import Bank, Programme


@pytest.fixture
def packaging_training(manager: Any) -> Programme:
    """A programme open from today, for a need to start an enrolment in."""
    today = timezone.localdate()
    return programmes.create_programme(
        manager,
        {"name": "Pelatihan Kemasan", "type": "training", "organiser": "Diskopindag",
         "starts_on": today, "ends_on": today + datetime.timedelta(days=30), "capacity": 5,
         "criteria": ["packaging"]},
    )  # fmt: skip


@pytest.fixture
def bank_jatim(db: Any) -> Bank:
    """A partner bank, for a capital need to be referred to."""
    return Bank.objects.create(name="Bank Jatim", code="bank-jatim")
