"""Proposing pairs from batch linkage, and "not a duplicate" being remembered."""

from typing import Any

import pytest

from naikkelas.core.errors import Forbidden, InvalidTransition
from naikkelas.core.models import AuditEntry
from naikkelas.dedup import services
from naikkelas.dedup.models import DuplicatePair, PairStatus
from naikkelas.registry import services as registry

pytestmark = pytest.mark.django_db


def test_it_stores_pairs_in_order_once(make_business: Any) -> None:
    a, b, c = make_business(), make_business(), make_business()

    written = services.propose_pairs(
        [(b.pk, a.pk, 0.9, ["similar_name"]), (a.pk, b.pk, 0.95, ["same_nib"]), (c.pk, c.pk, 1, [])]
    )

    assert written == 1
    pair = DuplicatePair.objects.get()
    assert (pair.a_id, pair.b_id, pair.probability, pair.reasons) == (
        a.pk,
        b.pk,
        0.95,
        ["same_nib"],
    )


def test_it_updates_a_pair_still_proposed(make_business: Any) -> None:
    a, b = make_business(), make_business()
    services.propose_pairs([(a.pk, b.pk, 0.8, ["similar_name"])])

    assert services.propose_pairs([(b.pk, a.pk, 0.85, ["similar_owner"])]) == 1

    pair = DuplicatePair.objects.get()
    assert (pair.probability, pair.reasons) == (0.85, ["similar_owner"])


def test_it_remembers_not_a_duplicate(curator: Any, make_business: Any) -> None:
    a, b = make_business(), make_business()
    services.propose_pairs([(a.pk, b.pk, 0.8, ["similar_name"])])
    pair = DuplicatePair.objects.get()

    services.mark_distinct(curator, pair)

    assert services.propose_pairs([(a.pk, b.pk, 0.99, ["same_phone"])]) == 0
    pair.refresh_from_db()
    assert (pair.status, pair.probability, pair.decided_by) == (PairStatus.DISTINCT, 0.8, curator)
    assert AuditEntry.objects.filter(action="business.marked_not_duplicate").count() == 2
    with pytest.raises(InvalidTransition):
        services.mark_distinct(curator, pair)


def test_it_skips_merged_and_archived_records(admin: Any, curator: Any, make_business: Any) -> None:
    a, b, c, d = (make_business() for _ in range(4))
    services.merge_businesses(curator, None, a, b, {})
    registry.archive_business(admin, c, "Usaha tutup")

    assert (
        services.propose_pairs(
            [(a.pk, b.pk, 0.9, []), (c.pk, d.pk, 0.9, []), (a.pk, d.pk, 0.7, [])]
        )
        == 1
    )

    assert list(DuplicatePair.objects.values_list("a_id", "b_id")) == [(a.pk, d.pk)]


def test_it_refuses_not_a_duplicate_to_a_volunteer(volunteer: Any, make_business: Any) -> None:
    a, b = make_business(), make_business()
    services.propose_pairs([(a.pk, b.pk, 0.8, [])])
    with pytest.raises(Forbidden):
        services.mark_distinct(volunteer, DuplicatePair.objects.get())
    assert DuplicatePair.objects.get().status == PairStatus.PROPOSED


def test_it_refuses_merging_a_pair_marked_not_a_duplicate(curator: Any, make_business: Any) -> None:
    a, b = make_business(), make_business()
    services.propose_pairs([(a.pk, b.pk, 0.8, [])])
    pair = services.mark_distinct(curator, DuplicatePair.objects.get())
    with pytest.raises(InvalidTransition, match="sudah diputuskan"):
        services.merge_businesses(curator, pair, a, b, {})


# ---- a NIB another record holds: kept, and queued for review (registry.signals)

NIB = "1234567890123"


def test_a_registration_with_a_nib_another_record_holds_is_queued(make_business: Any) -> None:
    first = make_business(name="Keripik Tempe Bu Siti", owner_name="Siti Aminah", nib=NIB)
    second = make_business(name="Bengkel Las Jaya", owner_name="Budi Santoso", nib=NIB)

    pair = DuplicatePair.objects.get()
    assert (pair.a_id, pair.b_id, pair.found_by) == (first.pk, second.pk, "registration")
    assert (pair.status, pair.reasons) == (PairStatus.PROPOSED, ["same_nib", "same_kelurahan"])


def test_an_edit_giving_a_record_another_records_nib_is_queued(
    admin: Any, make_business: Any
) -> None:
    first = make_business(nib=NIB)
    second = make_business()
    edited = registry.update_business(
        admin, second, {"name": second.name + " Baru"}, expected_version=second.version
    )
    assert not DuplicatePair.objects.exists()

    registry.update_business(admin, edited, {"nib": NIB}, expected_version=edited.version)

    pair = DuplicatePair.objects.get()
    assert (pair.a_id, pair.b_id) == (first.pk, second.pk)
    assert pair.reasons[0] == "same_nib"


def test_a_pair_marked_distinct_is_not_queued_again_by_an_edit(
    admin: Any, curator: Any, make_business: Any
) -> None:
    first = make_business(nib=NIB)
    second = make_business(nib=NIB)
    services.mark_distinct(curator, DuplicatePair.objects.get())

    registry.update_business(
        admin, second, {"name": "Keripik Tempe Cabang"}, expected_version=second.version
    )

    pair = DuplicatePair.objects.get()
    assert (pair.a_id, pair.b_id, pair.status) == (first.pk, second.pk, PairStatus.DISTINCT)
