"""The roll-ups against a live count: equal after every kind of write once the job
worker has counted again, and every breakdown adding up to the total."""

import datetime
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from conftest import PASSWORD, SUKUN_KELURAHAN
from naikkelas.dedup import services as dedup
from naikkelas.graduation import services as graduation
from naikkelas.graduation.models import Graduation, GraduationStatus
from naikkelas.intake.importer import import_file
from naikkelas.intake.synthetic import write_sidt_csv
from naikkelas.monitoring import dashboard, tallies
from naikkelas.monitoring.models import Change, Dimension, Tally
from naikkelas.registry import services
from naikkelas.registry.models import Basis, Business, Status

pytestmark = pytest.mark.django_db
B = 1_000_000_000
LAST_YEAR = datetime.date.today().year - 1


def _live() -> dict[str, dict[str, int]]:
    """Every dimension's totals, counted now from the registry."""
    rows = tallies.count(Business.objects.exclude(status=Status.MERGED))
    return {d: tallies.totals(r for r in rows if r.dimension == d) for d in Dimension.values}


def _worker_catches_up() -> None:
    """The job worker's periodic tick, as it runs once the pause after its last count
    is over (a minute later is past any pause of a test's count)."""
    tallies.refresh_when_due(now=timezone.now() + datetime.timedelta(minutes=1))


def _stored() -> dict[str, dict[str, int]]:
    _worker_catches_up()
    return {d: tallies.totals(Tally.objects.filter(dimension=d)) for d in Dimension.values}


def _reconciled() -> dict[str, int]:
    """After the worker: the roll-ups equal a live count in every dimension, and the
    dashboard's breakdowns of the whole city each add up to its total; the totals."""
    stored = _stored()
    assert stored == _live()
    places = dashboard.places(tallies.snapshot().state)
    d = dashboard.build(dashboard.scope(dashboard.city_kelurahan(places), "", places))
    assert all(b.adds_up() for b in d.breakdowns)
    assert d.total == stored[Dimension.SIZE]
    return stored[Dimension.SIZE]


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
    _worker_catches_up()
    sectors = {t.bucket for t in Tally.objects.filter(dimension=Dimension.SECTOR)}
    genders = {t.bucket for t in Tally.objects.filter(dimension=Dimension.GENDER)}
    assert "unknown" in sectors and {"C", "G"} <= sectors
    assert genders == {"L", "P", "unknown"}


def test_it_stays_equal_to_a_live_count_after_every_kind_of_write(city, curator, make_business):
    assert _stored() == _live()
    extra = make_business(name="Usaha Baru")
    assert Change.objects.exists()
    assert _reconciled()["registered"] == 5
    services.submit_business(curator, extra)
    services.verify_business(curator, extra)
    assert _reconciled()["verified"] == 2
    dedup.merge_businesses(curator, None, city["plain"], extra, {})
    assert _reconciled()["registered"] == 4
    services.archive_business(curator, city["unknown"], "tutup")
    _reconciled()


def test_it_reconciles_after_an_import(city, curator, tmp_path):
    before = _reconciled()
    path = tmp_path / "sidt.csv"
    write_sidt_csv(path, 40, seed=3)
    report = import_file(curator, path)
    assert report.created > 0
    after = _reconciled()
    assert after["registered"] == before["registered"] + report.created


def test_it_reconciles_after_a_merge_and_its_undo(city, curator):
    before = _reconciled()
    # The graduate and exporter folded into the plain business, and back.
    merge = dedup.merge_businesses(curator, None, city["plain"], city["grad"], {})
    merged = _reconciled()
    assert merged["registered"] == before["registered"] - 1
    assert merged["exporters"] == before["exporters"] - 1
    dedup.undo_merge(curator, merge)
    assert _reconciled() == before


def test_it_reconciles_after_a_graduation(city, curator, make_business):
    before = _reconciled()
    grad = make_business(name="Rotan Naik", kelurahan=SUKUN_KELURAHAN)
    services.submit_business(curator, grad)
    services.verify_business(curator, grad)
    for year, sales in ((LAST_YEAR - 1, 1 * B), (LAST_YEAR, 3 * B)):
        services.save_financial_record(
            curator, grad, {"year": year, "annual_sales": sales, "basis": Basis.VERIFIED}
        )
    proposed = Graduation.objects.get(business=grad, status=GraduationStatus.PROPOSED)
    assert _reconciled()["graduated"] == before["graduated"]
    graduation.confirm_graduation(curator, proposed, "tax_report", "SPT")
    after = _reconciled()
    assert after["graduated"] == before["graduated"] + 1
    month = {t.bucket: t.graduated for t in tallies.stored([SUKUN_KELURAHAN])
             if t.dimension == Dimension.MONTH}  # fmt: skip
    assert month[f"{timezone.localdate():%Y-%m}"] >= 1


def test_it_reconciles_after_an_archived_business(city, curator):
    before = _reconciled()
    services.archive_business(curator, city["grad"], "tutup")
    after = _reconciled()
    # An archived record is still registered (its history counts); it is no longer
    # verified, and the reconciliation holds either way.
    assert after["registered"] == before["registered"]


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


def test_a_reader_takes_the_roll_ups_in_one_query_even_after_a_write(
    city, make_business, django_assert_num_queries
):
    tallies.refresh()
    with django_assert_num_queries(1):
        tallies.snapshot()
    make_business(name="Usaha Baru")
    # Stale now: still one query, no count on the reader's path.
    with django_assert_num_queries(1):
        tallies.snapshot()


def _stats(api_client: Any, user: Any, query: str = "") -> dict[str, int]:
    api_client.login(username=user.username, password=PASSWORD)
    try:
        figures = dict(api_client.get("/api/v1/stats/" + query).json())
        assert figures.pop("as_of")
        return figures
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
