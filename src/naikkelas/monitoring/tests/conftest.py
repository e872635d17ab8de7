"""A small city with every kind of figure: businesses in two kecamatan, of known and
unknown sector, class and gender; verified, ready, graduated and exporting ones; a
completed programme and a disbursed credit (programmes have no services in this tree
yet, so those two rows are created directly)."""

import datetime
from typing import Any

import pytest

from conftest import BUNULREJO, SUKUN_KELURAHAN
from naikkelas.graduation import services as graduation
from naikkelas.graduation.models import Graduation
from naikkelas.programs.models import (
    Bank,
    Enrolment,
    EnrolmentStatus,
    Programme,
    Referral,
    ReferralStatus,
)
from naikkelas.registry import services
from naikkelas.registry.models import Basis, Business

B = 1_000_000_000
LAST_YEAR = datetime.date.today().year - 1


def _ready(admin: Any, business: Business) -> Business:
    services.save_financial_record(admin, business, {"year": LAST_YEAR, "annual_sales": 8 * 10**8})
    services.add_detail(admin, business, "legality", {"kind": "pirt", "number": "P-1"})
    services.add_detail(admin, business, "legality", {"kind": "halal", "number": "H-1"})
    services.add_detail(admin, business, "channel", {"kind": "social", "name": "Instagram"})
    return business


@pytest.fixture
def city(admin: Any, curator: Any, make_business: Any) -> dict[str, Business]:
    counter = iter(range(1000000000001, 1000000000100))
    ready = _ready(admin, make_business(name="Keripik Siap", nib=str(next(counter)), gender="P"))
    grad = make_business(
        name="Keripik Ekspor", kelurahan=SUKUN_KELURAHAN, gender="L", exports=True,
        export_destinations="Selandia Baru", nib=str(next(counter)),
    )  # fmt: skip
    services.submit_business(curator, grad)
    services.verify_business(curator, grad)
    for year, sales in ((LAST_YEAR - 1, 1 * B), (LAST_YEAR, 3 * B)):
        services.save_financial_record(
            curator, grad, {"year": year, "annual_sales": sales, "basis": Basis.VERIFIED}
        )
    graduation.confirm_graduation(curator, Graduation.objects.get(), "tax_report", "SPT")
    unknown = make_business(name="Tanpa KBLI", kbli="", kelurahan=BUNULREJO)
    plain = make_business(name="Warung Biasa", kbli="47111", gender="P")
    programme = Programme.objects.create(
        name="Pelatihan Kemasan", type="packaging", organiser="Diskopindag",
        starts_on=datetime.date(2025, 1, 1), ends_on=datetime.date(2025, 3, 1), capacity=20,
    )  # fmt: skip
    Enrolment.objects.create(
        programme=programme, business=ready, status=EnrolmentStatus.COMPLETED,
        nominated_on=datetime.date(2025, 1, 1), completed_on=datetime.date(2025, 3, 1),
    )  # fmt: skip
    bank = Bank.objects.create(name="Bank Jatim", code="jatim")
    Referral.objects.create(
        business=grad, bank=bank, product="kur_micro", amount_requested=50_000_000,
        status=ReferralStatus.DISBURSED, amount_disbursed=45_000_000,
        referred_on=datetime.date(2025, 2, 1), answered_on=datetime.date(2025, 2, 20),
    )  # fmt: skip
    return {"ready": ready, "grad": grad, "unknown": unknown, "plain": plain}
