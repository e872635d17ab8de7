"""Merging two records and undoing it, through the service functions."""

import datetime
from typing import Any

import pytest
from django.http import Http404

from conftest import SUKUN_KELURAHAN
from naikkelas.core.errors import Forbidden, InvalidTransition
from naikkelas.core.models import AuditEntry
from naikkelas.dedup import services
from naikkelas.dedup.models import DuplicatePair, PairStatus
from naikkelas.graduation.models import Graduation, Standing
from naikkelas.graduation.services import record_assessment
from naikkelas.registry import services as registry
from naikkelas.registry.models import Business, Status

pytestmark = pytest.mark.django_db

NIB = "1234567890123"


def _counts(business: Business) -> dict[str, int]:
    return {
        "financials": business.financials.count(),
        "legality": business.legality.count(),
        "products": business.products.count(),
        "channels": business.channels.count(),
        "assessments": business.assessments.count(),
        "graduations": business.graduations.count(),
        "standing": Standing.objects.filter(business=business).count(),
    }


def _money(admin: Any, business: Business, year: int, basis: str, sales: int) -> None:
    registry.save_financial_record(
        admin, business, {"year": year, "basis": basis, "annual_sales": sales}
    )


@pytest.fixture
def two(admin: Any, make_business: Any) -> tuple[Business, Business]:
    """The survivor (older, with one verified year) and a later copy with more behind it."""
    survivor = make_business(name="Keripik Tempe Sanan")
    merged = make_business(name="Keripik Tempe Bu Siti", nib=NIB, kbli="10710", street="Jl. A 1")
    registry.submit_business(admin, merged)
    _money(admin, survivor, 2023, "verified", 1_500_000_000)
    _money(admin, survivor, 2023, "reported", 1_400_000_000)
    # Same year and basis as the survivor's: stays behind.
    _money(admin, merged, 2023, "reported", 1_300_000_000)
    _money(admin, merged, 2022, "reported", 900_000_000)
    # With the survivor's verified 2023, this crosses into "small": the merge proposes it.
    _money(admin, merged, 2024, "verified", 3_000_000_000)
    registry.add_detail(admin, merged, "legality", {"kind": "pirt", "number": "P-IRT 123"})
    registry.add_detail(admin, merged, "product", {"name": "Keripik 100 g"})
    registry.add_detail(admin, merged, "product", {"name": "Keripik 250 g"})
    registry.add_detail(admin, merged, "channel", {"kind": "social", "name": "Instagram"})
    registry.add_detail(admin, survivor, "product", {"name": "Keripik pedas"})
    record_assessment(admin, merged, {"assessed_on": datetime.date(2025, 1, 10), "packaging": 4})
    survivor.refresh_from_db()
    merged.refresh_from_db()
    return survivor, merged


def test_it_moves_every_related_row_and_undo_restores_the_counts(
    curator: Any, two: tuple[Business, Business]
) -> None:
    survivor, merged = two
    before = (_counts(survivor), _counts(merged))
    assert before == (
        {"financials": 2, "legality": 0, "products": 1, "channels": 0, "assessments": 0,
         "graduations": 0, "standing": 1},
        {"financials": 3, "legality": 1, "products": 2, "channels": 1, "assessments": 1,
         "graduations": 0, "standing": 1},
    )  # fmt: skip

    merge = services.merge_businesses(curator, None, survivor, merged, {})

    assert _counts(survivor) == {
        "financials": 4, "legality": 1, "products": 3, "channels": 1, "assessments": 1,
        "graduations": 1, "standing": 1,
    }  # fmt: skip
    # Only the clashing 2023 reported row is left on the merged record.
    assert _counts(merged) == {
        "financials": 1, "legality": 0, "products": 0, "channels": 0, "assessments": 0,
        "graduations": 0, "standing": 1,
    }  # fmt: skip
    assert merged.financials.get().annual_sales == 1_300_000_000
    assert merge.moved["not_moved"] == {"financials": [merged.financials.get().pk]}
    assert Graduation.objects.get(business=survivor).to_year == 2024

    services.undo_merge(curator, merge)

    survivor.refresh_from_db()
    merged.refresh_from_db()
    assert (_counts(survivor), _counts(merged)) == before
    assert merged.financials.filter(year=2024, basis="verified").exists()
    merge.refresh_from_db()
    assert merge.undone_by == curator and merge.undone_at is not None


def test_it_keeps_the_chosen_values_and_undo_restores_them(
    curator: Any, two: tuple[Business, Business]
) -> None:
    survivor, merged = two
    version = (survivor.version, merged.version)
    keep = {"name": "merged", "nib": "merged", "kbli": "merged", "street": "survivor"}

    services.merge_businesses(curator, None, survivor, merged, keep)

    survivor.refresh_from_db()
    merged.refresh_from_db()
    assert (survivor.name, survivor.nib, survivor.kbli) == ("Keripik Tempe Bu Siti", NIB, "10710")
    assert survivor.sector == "C" and survivor.street == ""
    # The NIB is unique: the merged record gave it up.
    assert merged.nib == ""
    assert merged.status == Status.MERGED and merged.merged_into == survivor
    assert (survivor.version, merged.version) == (version[0] + 1, version[1] + 1)
    assert AuditEntry.objects.filter(action="business.merged").count() == 2
    entry = AuditEntry.objects.get(action="business.merged", object_id=str(survivor.pk))
    assert entry.changes["name"] == ["Keripik Tempe Sanan", "Keripik Tempe Bu Siti"]

    services.undo_merge(curator, merged.merges_out.get())

    survivor.refresh_from_db()
    merged.refresh_from_db()
    assert (survivor.name, survivor.nib, survivor.kbli) == ("Keripik Tempe Sanan", "", "10792")
    assert (merged.nib, merged.status, merged.merged_into) == (NIB, Status.SUBMITTED, None)
    assert AuditEntry.objects.filter(action="business.merge_undone").count() == 2


def test_it_marks_the_pair_merged_and_undo_puts_it_back_to_review(
    curator: Any, two: tuple[Business, Business]
) -> None:
    survivor, merged = two
    services.propose_pairs([(merged.pk, survivor.pk, 0.97, ["similar_name"])])
    pair = DuplicatePair.objects.get()

    merge = services.merge_businesses(curator, pair, survivor, merged, {})

    pair.refresh_from_db()
    assert (pair.status, pair.decided_by) == (PairStatus.MERGED, curator)
    assert services.propose_pairs([(survivor.pk, merged.pk, 0.99, [])]) == 0
    services.undo_merge(curator, merge)
    pair.refresh_from_db()
    assert pair.status == PairStatus.PROPOSED


def test_it_refuses_merging_a_record_with_itself(curator: Any, make_business: Any) -> None:
    business = make_business()
    with pytest.raises(InvalidTransition, match="dirinya sendiri"):
        services.merge_businesses(curator, None, business, business, {})


def test_it_refuses_an_archived_record(admin: Any, curator: Any, make_business: Any) -> None:
    a, b = make_business(), make_business()
    registry.archive_business(admin, b, "Usaha tutup")
    with pytest.raises(InvalidTransition, match="diarsipkan"):
        services.merge_businesses(curator, None, a, b, {})
    assert Business.objects.get(pk=b.pk).status == Status.ARCHIVED


def test_it_refuses_a_record_already_merged(curator: Any, make_business: Any) -> None:
    a, b, c = make_business(), make_business(), make_business()
    services.merge_businesses(curator, None, a, b, {})
    with pytest.raises(InvalidTransition, match="sudah digabungkan ke data lain"):
        services.merge_businesses(curator, None, c, b, {})
    with pytest.raises(InvalidTransition, match="sudah digabungkan ke data lain"):
        services.merge_businesses(curator, None, b, c, {})


def test_it_refuses_a_non_curator(volunteer: Any, make_business: Any) -> None:
    a, b = make_business(), make_business()
    with pytest.raises(Forbidden):
        services.merge_businesses(volunteer, None, a, b, {})
    assert not Business.objects.filter(status=Status.MERGED).exists()


def test_it_answers_404_for_a_record_outside_the_scope(
    sukun_volunteer: Any, make_business: Any
) -> None:
    # Balearjosari records, a Sukun volunteer: they do not exist for her.
    a, b = make_business(), make_business()
    with pytest.raises(Http404):
        services.merge_businesses(sukun_volunteer, None, a, b, {})
    c = make_business(kelurahan=SUKUN_KELURAHAN)
    with pytest.raises(Http404):
        services.merge_businesses(sukun_volunteer, None, c, a, {})


def test_it_refuses_a_field_it_does_not_know(curator: Any, make_business: Any) -> None:
    a, b = make_business(), make_business()
    with pytest.raises(InvalidTransition):
        services.merge_businesses(curator, None, a, b, {"status": "merged"})
    with pytest.raises(InvalidTransition):
        services.merge_businesses(curator, None, a, b, {"name": "both"})


def test_it_refuses_undoing_twice(curator: Any, make_business: Any) -> None:
    a, b = make_business(), make_business()
    merge = services.merge_businesses(curator, None, a, b, {})
    services.undo_merge(curator, merge)
    with pytest.raises(InvalidTransition, match="sudah dibatalkan"):
        services.undo_merge(curator, merge)


def test_it_refuses_undoing_a_merge_a_later_one_builds_on(curator: Any, make_business: Any) -> None:
    a, b, c = make_business(), make_business(), make_business()
    first = services.merge_businesses(curator, None, a, b, {})
    later = services.merge_businesses(curator, None, c, a, {})
    with pytest.raises(InvalidTransition, match="lebih baru"):
        services.undo_merge(curator, first)
    services.undo_merge(curator, later)
    services.undo_merge(curator, first)
    assert set(Business.objects.values_list("status", flat=True)) == {Status.DRAFT}


def test_it_refuses_undo_to_a_volunteer(curator: Any, volunteer: Any, make_business: Any) -> None:
    a, b = make_business(), make_business()
    merge = services.merge_businesses(curator, None, a, b, {})
    with pytest.raises(Forbidden):
        services.undo_merge(volunteer, merge)


def test_it_shows_the_merged_records_history_with_the_survivors(
    curator: Any, make_business: Any
) -> None:
    from naikkelas.registry.history import history_with_merged

    a, b, c = make_business(), make_business(), make_business()
    services.merge_businesses(curator, None, b, c, {})
    services.merge_businesses(curator, None, a, b, {})

    shown = {(e.object_id, e.action) for e in history_with_merged(a)}

    assert {(str(c.pk), "business.created"), (str(b.pk), "business.created")} <= shown
    assert not {(e.object_id, e.action) for e in history_with_merged(c)} & {
        (str(a.pk), "business.created")
    }
