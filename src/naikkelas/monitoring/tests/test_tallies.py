"""The roll-ups against a live count: equal after every kind of write."""

from typing import Any

import pytest
from django.db import connection

from conftest import PASSWORD
from naikkelas.dedup import services as dedup
from naikkelas.monitoring import tallies
from naikkelas.monitoring.models import Change, Dimension, Tally
from naikkelas.registry import services
from naikkelas.registry.models import Business, Status

pytestmark = pytest.mark.django_db


def _live() -> dict[str, dict[str, int]]:
    """Every dimension's totals, counted now from the registry."""
    rows = tallies.count(Business.objects.exclude(status=Status.MERGED))
    return {d: tallies.totals(r for r in rows if r.dimension == d) for d in Dimension.values}


def _stored() -> dict[str, dict[str, int]]:
    tallies.ensure_fresh()
    return {d: tallies.totals(Tally.objects.filter(dimension=d)) for d in Dimension.values}


def test_it_counts_every_figure_of_the_small_city(city):
    figures = _stored()[Dimension.SIZE]
    assert figures == {
        "registered": 4, "verified": 1, "ready": 1, "graduated": 1, "exporters": 1,
        "programme_completions": 1, "credit_disbursed": 45_000_000,
    }  # fmt: skip


def test_it_adds_every_dimension_up_to_the_same_totals(city):
    stored = _stored()
    # Months count events, not businesses: ready and exporters have no date.
    for dimension in (Dimension.SECTOR, Dimension.GENDER):
        assert stored[dimension] == stored[Dimension.SIZE]
    month = stored[Dimension.MONTH]
    for column in ("registered", "verified", "graduated", "programme_completions",
                   "credit_disbursed"):  # fmt: skip
        assert month[column] == stored[Dimension.SIZE][column]


def test_it_puts_the_unknown_sector_and_gender_in_their_own_bucket(city):
    tallies.ensure_fresh()
    sectors = {t.bucket for t in Tally.objects.filter(dimension=Dimension.SECTOR)}
    genders = {t.bucket for t in Tally.objects.filter(dimension=Dimension.GENDER)}
    assert "unknown" in sectors and {"C", "G"} <= sectors
    assert genders == {"L", "P", "unknown"}


def test_it_stays_equal_to_a_live_count_after_every_kind_of_write(city, curator, make_business):
    assert _stored() == _live()
    extra = make_business(name="Usaha Baru")
    assert Change.objects.exists()
    assert _stored() == _live()
    services.submit_business(curator, extra)
    services.verify_business(curator, extra)
    assert _stored()[Dimension.SIZE]["verified"] == 2
    assert _stored() == _live()
    dedup.merge_businesses(curator, None, city["plain"], extra, {})
    assert _stored()[Dimension.SIZE]["registered"] == 4
    assert _stored() == _live()
    services.archive_business(curator, city["unknown"], "tutup")
    assert _stored() == _live()


def test_it_marks_the_roll_ups_stale_on_a_write_outside_any_service(city):
    tallies.refresh()
    assert not Change.objects.exists()
    # Like the recompute's set-based SQL: no signal, no service, still seen.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE registry_business SET exports = %s", [True])
    assert Change.objects.exists()
    assert _stored()[Dimension.SIZE]["exporters"] == 4


def test_a_reader_queued_behind_a_refresh_takes_its_result_unless_a_write_came_since(city):
    first = tallies.refresh()
    # What a second reader finds once the first reader's refresh has committed.
    assert tallies.refresh(only_if_stale=True).refreshed_at == first.refreshed_at
    with connection.cursor() as cursor:
        cursor.execute("UPDATE registry_business SET exports = %s", [True])
    again = tallies.refresh(only_if_stale=True)
    assert again.refreshed_at > first.refreshed_at
    assert _stored()[Dimension.SIZE]["exporters"] == 4


def test_it_reads_fresh_roll_ups_in_one_query(city, django_assert_num_queries):
    tallies.refresh()
    with django_assert_num_queries(1):
        tallies.ensure_fresh()


def _stats(api_client: Any, user: Any, query: str = "") -> dict[str, int]:
    api_client.login(username=user.username, password=PASSWORD)
    try:
        return dict(api_client.get("/api/v1/stats/" + query).json())
    finally:
        api_client.logout()


def test_it_gives_each_caller_the_stats_of_their_own_scope(
    api_client, city, leader, volunteer, sukun_volunteer, owner_user, bank
):
    assert _stats(api_client, leader) == {
        "businesses": 4, "verified": 1, "ready": 1, "graduated": 1, "exporters": 1,
    }  # fmt: skip
    # The Balearjosari volunteer: Keripik Siap and Warung Biasa, nothing else.
    assert _stats(api_client, volunteer) == {
        "businesses": 2, "verified": 0, "ready": 1, "graduated": 0, "exporters": 0,
    }  # fmt: skip
    assert _stats(api_client, sukun_volunteer)["graduated"] == 1
    assert _stats(api_client, volunteer, "?region=35.73.04")["businesses"] == 0
    assert _stats(api_client, bank)["businesses"] == 0
    business = city["plain"]
    business.owner_account = owner_user
    business.save(update_fields=["owner_account"])
    assert _stats(api_client, owner_user) == {
        "businesses": 1, "verified": 0, "ready": 0, "graduated": 0, "exporters": 0,
    }  # fmt: skip


def test_it_answers_stats_from_the_roll_ups_in_a_fixed_number_of_queries(
    api_client, city, leader, make_business, django_assert_num_queries
):
    api_client.login(username=leader.username, password=PASSWORD)
    api_client.get("/api/v1/stats/")
    # session, user, region check, staleness and places, roll-ups
    with django_assert_num_queries(5):
        api_client.get("/api/v1/stats/?region=35.73.01")
    for n in range(20):
        make_business(name=f"Usaha {n}")
    tallies.refresh()
    with django_assert_num_queries(5):
        assert api_client.get("/api/v1/stats/?region=35.73.01").json()["businesses"] == 23
