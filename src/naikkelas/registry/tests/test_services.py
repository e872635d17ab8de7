import pytest
from django.db import connection

from conftest import BALEARJOSARI, NIK_MAN, NIK_WOMAN, SUKUN_KELURAHAN
from naikkelas.core.errors import FieldErrors, Forbidden, InvalidTransition, StaleEdit
from naikkelas.core.models import AuditEntry
from naikkelas.regions.models import Region
from naikkelas.registry import services
from naikkelas.registry.models import Basis, Business, FinancialRecord, Owner, Status

pytestmark = pytest.mark.django_db


def _data(**extra):
    data = {
        "name": "Keripik Tempe Bu Sri",
        "owner_name": "Sri Wahyuni",
        "kelurahan": Region.objects.get(code=BALEARJOSARI),
        "nik": NIK_WOMAN,
        "phone": "0812-3456-7890",
        "nib": "1234567890123",
        "kbli": "10792",
        "rw": 4,
        "rt": 2,
    }
    data.update(extra)
    return data


def test_it_creates_a_draft_with_derived_sector_and_audit(volunteer):
    business = services.create_business(volunteer, _data())
    assert business.status == Status.DRAFT
    assert business.sector == "C"
    assert business.created_by == volunteer
    entry = AuditEntry.objects.get(action="business.created", object_id=str(business.pk))
    assert entry.actor == volunteer
    assert entry.changes["nik"] == [None, "************0002"]
    assert entry.changes["phone"] == [None, "08******7890"]


def test_it_stores_personal_data_encrypted_with_a_blind_index(volunteer):
    business = services.create_business(volunteer, _data())
    owner = Owner.objects.get(pk=business.owner_id)
    assert owner.nik == NIK_WOMAN
    assert owner.phone == "+6281234567890"
    assert NIK_WOMAN not in owner.nik_encrypted
    assert owner.nik_masked == "************0002"
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM registry_owner")
        raw = repr(cursor.fetchall())
    assert NIK_WOMAN not in raw and "81234567890" not in raw
    # The same NIK finds the same person again: one owner, two businesses.
    second = services.create_business(volunteer, _data(name="Toko Sri", nib=""))
    assert second.owner_id == business.owner_id


def test_it_rejects_bad_input_and_saves_nothing(volunteer):
    bad = _data(
        nik="3573013202900001", nib="123", kbli="04000", phone="12345", rt=0,
        latitude=-95, founding_capital=-1, name=" ",
    )  # fmt: skip
    with pytest.raises(FieldErrors) as e:
        services.create_business(volunteer, bad)
    assert set(e.value.errors) >= {
        "nik",
        "nib",
        "kbli",
        "phone",
        "rt",
        "latitude",
        "founding_capital",
        "name",
    }
    assert Business.objects.count() == 0
    assert Owner.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_it_refuses_a_kelurahan_outside_the_volunteers_area(volunteer):
    with pytest.raises(FieldErrors) as e:
        services.create_business(
            volunteer, _data(kelurahan=Region.objects.get(code=SUKUN_KELURAHAN))
        )
    assert "kelurahan" in e.value.errors
    assert Business.objects.count() == 0


def test_a_nib_another_business_holds_is_accepted(volunteer):
    # OSS issues the NIB to the pelaku usaha, and one NIB can cover several outlets or
    # activities: both are kept, and dedup queues the pair for review
    # (dedup/tests/test_pairs.py).
    first = services.create_business(volunteer, _data())
    second = services.create_business(volunteer, _data(nik=NIK_MAN, name="Lain"))
    assert first.nib == second.nib == "1234567890123"
    assert Business.objects.count() == 2


def test_it_runs_the_curation_workflow(volunteer, curator):
    business = services.create_business(volunteer, _data())
    business = services.submit_business(volunteer, business)
    assert business.status == Status.SUBMITTED and business.submitted_at
    business = services.return_business(curator, business, "Foto usaha belum ada")
    assert business.status == Status.RETURNED
    assert business.status_reason == "Foto usaha belum ada"
    business = services.submit_business(volunteer, business)
    business = services.verify_business(curator, business)
    assert business.status == Status.VERIFIED
    assert business.verified_by == curator
    business = services.archive_business(curator, business, "Usaha tutup")
    assert business.status == Status.ARCHIVED
    actions = list(
        AuditEntry.objects.filter(object_id=str(business.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "business.created", "business.submitted", "business.returned", "business.submitted",
        "business.verified", "business.archived",
    ]  # fmt: skip


def test_it_refuses_steps_out_of_order_and_by_the_wrong_role(volunteer, curator):
    business = services.create_business(volunteer, _data())
    with pytest.raises(InvalidTransition):
        services.verify_business(curator, business)
    services.submit_business(volunteer, business)
    with pytest.raises(Forbidden):
        services.verify_business(volunteer, business)
    with pytest.raises(FieldErrors):
        services.return_business(curator, business, "   ")
    assert Business.objects.get(pk=business.pk).status == Status.SUBMITTED


def test_it_refuses_a_stale_edit_and_keeps_the_first(volunteer, curator):
    business = services.create_business(volunteer, _data())
    version = business.version
    services.update_business(curator, business, {"name": "Keripik Sanan"}, expected_version=version)
    with pytest.raises(StaleEdit):
        services.update_business(
            volunteer, business, {"name": "Nama Lain"}, expected_version=version
        )
    assert Business.objects.get(pk=business.pk).name == "Keripik Sanan"


def test_a_volunteer_edit_of_a_verified_record_goes_back_to_curation(volunteer, curator):
    business = services.create_business(volunteer, _data())
    services.submit_business(volunteer, business)
    business = services.verify_business(curator, business)
    business = services.update_business(
        volunteer, business, {"rt": 7}, expected_version=business.version
    )
    assert business.status == Status.SUBMITTED
    entry = AuditEntry.objects.filter(action="business.updated").get()
    assert entry.changes == {"rt": [2, 7]}


def test_it_records_reported_and_verified_figures_apart(volunteer, curator):
    business = services.create_business(volunteer, _data())
    services.save_financial_record(volunteer, business, {"year": 2024, "annual_sales": 500_000_000})
    with pytest.raises(Forbidden):
        services.save_financial_record(
            volunteer, business, {"year": 2024, "basis": Basis.VERIFIED, "annual_sales": 1}
        )
    services.save_financial_record(
        curator, business, {"year": 2024, "basis": Basis.VERIFIED, "annual_sales": 450_000_000}
    )
    with pytest.raises(FieldErrors) as e:
        services.save_financial_record(volunteer, business, {"year": 2024, "annual_sales": 1})
    assert "year" in e.value.errors
    services.save_financial_record(
        volunteer, business, {"year": 2024, "annual_sales": 520_000_000}, correct=True
    )
    figures = dict(FinancialRecord.objects.values_list("basis", "annual_sales"))
    assert figures == {"reported": 520_000_000, "verified": 450_000_000}
    with pytest.raises(FieldErrors):
        services.save_financial_record(volunteer, business, {"year": 2024, "annual_sales": -5})


def test_reveal_is_for_curators_and_always_audited(volunteer, curator, leader):
    business = services.create_business(volunteer, _data())
    with pytest.raises(Forbidden):
        services.reveal_personal_data(volunteer, business)
    with pytest.raises(Forbidden):
        services.reveal_personal_data(leader, business)
    assert services.reveal_personal_data(curator, business) == {
        "nik": NIK_WOMAN, "phone": "+6281234567890",
    }  # fmt: skip
    entry = AuditEntry.objects.get(action="owner.personal_data_revealed")
    assert entry.actor == curator and entry.object_id == str(business.pk)


def test_archived_records_cannot_be_edited(volunteer, curator):
    business = services.create_business(volunteer, _data())
    business = services.archive_business(curator, business, "Tutup")
    with pytest.raises(InvalidTransition):
        services.update_business(
            curator, business, {"name": "X"}, expected_version=business.version
        )
    with pytest.raises(InvalidTransition):
        services.add_detail(curator, business, "product", {"name": "Keripik"})


def test_figures_before_the_start_or_in_the_future_are_refused(volunteer):
    business = services.create_business(volunteer, _data(start_year=2020))
    for year in (2019, 2999):
        with pytest.raises(FieldErrors) as e:
            services.save_financial_record(volunteer, business, {"year": year, "annual_sales": 1})
        assert "year" in e.value.errors
    assert not FinancialRecord.objects.exists()
