import datetime
from typing import Any

import pytest
from django.utils import timezone

from conftest import SUKUN_KELURAHAN
from naikkelas.programs import services
from naikkelas.programs.models import Bank
from naikkelas.registry import services as registry
from naikkelas.registry.models import Business

LAST_YEAR = datetime.date.today().year - 1
TODAY = timezone.localdate()


@pytest.fixture
def make_ready(admin: Any, make_business: Any) -> Any:
    """A verified micro business that meets every required criterion but branding,
    packaging, product quality and distribution (its gaps)."""

    def make(**fields: Any) -> Business:
        business = make_business(nib=f"{1000000000000 + Business.objects.count()}", **fields)
        registry.save_financial_record(
            admin, business, {"year": LAST_YEAR, "annual_sales": 800_000_000}
        )
        registry.add_detail(admin, business, "legality", {"kind": "pirt", "number": "P-1"})
        registry.add_detail(admin, business, "legality", {"kind": "halal", "number": "H-1"})
        registry.add_detail(admin, business, "channel", {"kind": "social", "name": "Instagram"})
        registry.submit_business(admin, business)
        return registry.verify_business(admin, business)

    return make


@pytest.fixture
def city(make_ready: Any) -> list[Business]:
    """Three ready businesses in Balearjosari (Blimbing) and two in Sukun."""
    return [make_ready(name=f"Keripik Blimbing {i}") for i in range(3)] + [
        make_ready(name=f"Keripik Sukun {i}", kelurahan=SUKUN_KELURAHAN) for i in range(2)
    ]


@pytest.fixture
def make_programme(manager: Any) -> Any:
    counter = iter(range(1, 1000))

    def make(**fields: Any) -> Any:
        data = {
            "name": f"Pelatihan {next(counter)}",
            "type": "training",
            "organiser": "Diskopindag Kota Malang",
            "starts_on": TODAY - datetime.timedelta(days=30),
            "ends_on": TODAY + datetime.timedelta(days=60),
            "capacity": 10,
            "criteria": ["packaging"],
        }
        data.update(fields)
        return services.create_programme(manager, data)

    return make


@pytest.fixture
def banks(bank: Any, db: Any) -> tuple[Bank, Bank]:
    """BPR Tugu Arta, whose staff is the `bank` user, and Bank Jatim."""
    tugu = Bank.objects.create(name="BPR Tugu Arta", code="tugu-arta")
    tugu.staff.add(bank)
    return tugu, Bank.objects.create(name="Bank Jatim", code="bank-jatim")
