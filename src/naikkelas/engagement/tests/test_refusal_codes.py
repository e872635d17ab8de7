"""Every refusal of a visit or complaint field carries its own code, with its message in
the user's language, and nothing is written."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone, translation

from conftest import BALEARJOSARI, SUKUN_KELURAHAN
from naikkelas.core.errors import FieldErrors
from naikkelas.engagement import services
from naikkelas.engagement.models import Complaint, ComplaintStatus, Office, Visit
from naikkelas.regions.models import Region

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _refused(call: Callable[[], Any]) -> dict[str, list[tuple[str, str]]]:
    """The (code, message) of each refused field, the messages in Indonesian."""
    with translation.override("id"), pytest.raises(FieldErrors) as refused:
        call()
    return {
        field: [(found.code, found.message) for found in refusals]
        for field, refusals in refused.value.details.items()
    }


def _village(code: str = BALEARJOSARI) -> Region:
    return Region.objects.get(code=code)


def _visit(**data: Any) -> dict[str, Any]:
    return {"kind": "sahabat", "held_on": TODAY, "kelurahan": _village(), "place": "Balai RW 2",
            "visitors": "Pak RW", **data}  # fmt: skip


def test_a_visit_names_each_bad_field_with_its_code(volunteer):
    tomorrow = TODAY + datetime.timedelta(days=1)
    bad = _visit(kind="rapat", held_on=tomorrow, kelurahan=_village(SUKUN_KELURAHAN),
                 place=" ", visitors="")  # fmt: skip

    assert _refused(lambda: services.record_visit(volunteer, bad)) == {
        "kind": [("invalid_choice", "Pilih jenis kunjungan.")],
        "held_on": [("date_future", "Isi tanggal kunjungan (tidak di masa depan).")],
        "kelurahan": [
            ("kelurahan_outside_area", "Kelurahan ini berada di luar wilayah kerja Anda.")
        ],
        "place": [("required", "Isian ini wajib diisi.")],
        "visitors": [("required", "Isian ini wajib diisi.")],
    }
    missing = _refused(
        lambda: services.record_visit(volunteer, _visit(held_on=None, kelurahan=None))
    )
    assert {field: [c for c, _m in found] for field, found in missing.items()} == {
        "held_on": ["required"], "kelurahan": ["required"],
    }  # fmt: skip
    assert not Visit.objects.exists()


def test_a_visit_with_a_business_outside_the_area_is_refused_with_its_code(
    volunteer, make_business
):
    elsewhere = make_business(kelurahan=SUKUN_KELURAHAN)
    call = lambda: services.record_visit(volunteer, _visit(), businesses=[elsewhere])  # noqa: E731

    assert _refused(call) == {
        "businesses": [
            ("business_outside_area", "Ada usaha pilihan Anda yang di luar wilayah Anda.")
        ]
    }
    assert not Visit.objects.exists()


def test_a_complaint_and_its_follow_up_name_their_bad_field(volunteer, curator):
    data = {"category": "gosip", "text": " ", "kelurahan": _village()}
    assert _refused(lambda: services.record_complaint(volunteer, data)) == {
        "category": [("invalid_choice", "Pilih kategori.")],
        "text": [("required", "Tuliskan apa yang disampaikan.")],
    }
    assert not Complaint.objects.exists()

    complaint = services.record_complaint(volunteer, {**data, "category": "permodalan",
                                                      "text": "Butuh modal"})  # fmt: skip
    office = Office.objects.create(name="Dinas Koperasi", short_name="Diskop")
    assert _refused(lambda: services.assign(curator, complaint, office, "besok")) == {
        "due_on": [("required", "Isi tanggal batas perangkat daerah menjawab.")]
    }
    assert _refused(
        lambda: services.follow_up(curator, complaint, ComplaintStatus.IN_PROGRESS, " ")
    ) == {"note": [("required", "Sebutkan apa yang sudah dilakukan.")]}
    complaint.refresh_from_db()
    assert (complaint.status, complaint.office_id, complaint.follow_ups.count()) == (
        ComplaintStatus.NEW, None, 0,
    )  # fmt: skip


def test_a_need_without_a_business_cannot_start_an_enrolment_or_a_referral(
    volunteer, manager, packaging_training, bank_jatim
):
    complaint = services.record_complaint(
        volunteer, {"category": "permodalan", "text": "Butuh modal", "kelurahan": _village()}
    )
    programme, bank = packaging_training, bank_jatim
    expected = {"business": [("complaint_without_business", "Aduan ini tidak menyebut usaha.")]}

    assert _refused(lambda: services.start_enrolment(manager, complaint, programme)) == expected
    assert (
        _refused(lambda: services.start_referral(manager, complaint, bank, "kur_micro", 5_000_000))
        == expected
    )
    complaint.refresh_from_db()
    assert (complaint.enrolment_id, complaint.referral_id) == (None, None)
