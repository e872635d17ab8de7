"""Figures off the write path: a reader never counts once a count is stored, says how
old what it shows is, and the job worker's tick brings the figures up to date within
the bounded delay. Time is driven explicitly (the tick's `now`), never waited for."""

import datetime
import threading
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from naikkelas.jobs import periodic
from naikkelas.monitoring import tallies
from naikkelas.monitoring.models import Change, TallyState
from naikkelas.monitoring.templatetags.monitoring import moment

pytestmark = pytest.mark.django_db


def _registered(api_client: Any, leader: Any) -> tuple[int, datetime.datetime]:
    api_client.login(username=leader.username, password=PASSWORD)
    body = api_client.get("/api/v1/stats/").json()
    return body["businesses"], datetime.datetime.fromisoformat(body["as_of"])


def test_the_first_reader_of_an_install_counts_and_later_ones_never_do(
    api_client, leader, city, make_business
):
    TallyState.objects.all().delete()
    assert _registered(api_client, leader)[0] == 4
    counted = TallyState.objects.get().refreshed_at
    make_business(name="Usaha Baru")
    # The write is not in the figures until the worker counts again; nobody recounts.
    assert _registered(api_client, leader)[0] == 4
    assert TallyState.objects.get().refreshed_at == counted


def test_the_figures_say_they_are_current_when_no_write_is_missing(api_client, leader, city):
    tallies.refresh()
    before = timezone.now()
    _, as_of = _registered(api_client, leader)
    assert as_of >= before


def test_the_figures_are_as_of_the_first_write_they_miss(api_client, leader, city, make_business):
    tallies.refresh()
    # SQLite keeps the write's time to the millisecond.
    now = timezone.now()
    before = now.replace(microsecond=now.microsecond // 1000 * 1000)
    make_business(name="Usaha Pertama")
    between = timezone.now()
    make_business(name="Usaha Kedua")
    _, as_of = _registered(api_client, leader)
    assert before <= as_of <= between
    # And not the time of the count, when that is later (a write whose transaction began
    # before it).
    state = TallyState.objects.get()
    later = timezone.now()
    TallyState.objects.filter(pk=state.pk).update(refreshed_at=later)
    assert tallies.snapshot().as_of == later


def test_the_worker_catches_up_once_the_pause_after_its_last_count_is_over(
    api_client, leader, city, make_business
):
    tallies.refresh()
    state = TallyState.objects.get()
    ended = state.refreshed_at + datetime.timedelta(seconds=state.seconds)
    make_business(name="Usaha Baru")

    # Within the pause: nothing counted, and the tick asks to be called when it ends.
    wait = tallies.refresh_when_due(now=ended)
    assert wait == pytest.approx(tallies.pause(state.seconds))
    assert _registered(api_client, leader)[0] == 4

    wait = tallies.refresh_when_due(now=ended + datetime.timedelta(seconds=wait))
    assert _registered(api_client, leader)[0] == 5 and not Change.objects.exists()
    assert wait == tallies.pause(TallyState.objects.get().seconds)


def test_the_worker_only_looks_while_nobody_writes(city):
    tallies.refresh()
    counted = TallyState.objects.get().refreshed_at
    later = timezone.now() + datetime.timedelta(hours=1)
    assert tallies.refresh_when_due(now=later) == tallies.TICK
    assert TallyState.objects.get().refreshed_at == counted


def test_the_worker_counts_when_nothing_is_stored_yet(city):
    TallyState.objects.all().delete()
    tallies.refresh_when_due()
    assert TallyState.objects.get().refreshed_at is not None


@pytest.mark.parametrize("seconds", [0.05, 0.2, 3.8, 12.0])
def test_the_figures_are_never_older_than_a_minute_while_a_count_takes_up_to_12_s(seconds):
    # A write just after a count began waits for that count to end, the pause, and the
    # next count: what a reader can see at worst.
    assert tallies.pause(seconds) + 2 * seconds <= 60


def test_the_job_worker_runs_the_refresh(city, monkeypatch):
    """`naikkelas worker` runs `periodic.run` in its thread; here in this one, stopped
    after one round by a second tick."""
    (figures,) = [p for p in periodic.registered() if p.name == "leadership figures"]
    assert figures.tick == tallies.refresh_when_due
    TallyState.objects.all().delete()
    stop = threading.Event()

    def stopper() -> float:
        stop.set()
        return 0.0

    monkeypatch.setattr(periodic, "_PERIODIC", [figures, periodic.Periodic("stop", stopper)])
    periodic.run(stop)
    assert TallyState.objects.get().refreshed_at is not None


def test_the_dashboard_says_when_its_figures_are_from(client, leader, city, make_business):
    tallies.refresh()
    make_business(name="Usaha Baru")
    as_of = tallies.snapshot().as_of
    client.login(username=leader.username, password=PASSWORD)
    html = client.get(reverse("dashboard")).content.decode()
    local = timezone.localtime(as_of)
    assert f'Data per <time datetime="{local.isoformat()}">{moment(as_of)}</time>' in html
    assert moment(as_of).endswith(" WIB")


def test_a_moment_of_another_day_carries_its_date():
    today = timezone.localtime()
    assert moment(today) == f"{today.hour}.{today.minute:02d} WIB"
    earlier = today.replace(year=2024, month=9, day=26, hour=9, minute=5)
    assert moment(earlier) == "26 September 2024 9.05 WIB"
