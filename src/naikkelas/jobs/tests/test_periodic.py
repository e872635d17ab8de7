"""The worker's periodic work: every tick called when due, and one that fails tried
again later without stopping the others."""

import threading

from django.db.utils import OperationalError

from naikkelas.jobs import periodic


def test_it_calls_every_tick_again_when_it_asks_and_outlives_one_that_fails(monkeypatch):
    stop = threading.Event()
    calls: list[str] = []

    def fine() -> float:
        calls.append("fine")
        if calls.count("fine") == 3:
            stop.set()
        return 0.0

    def database_away() -> float:
        calls.append("away")
        raise OperationalError("the database system is starting up")

    def broken() -> float:
        calls.append("broken")
        raise ValueError("a bug")

    monkeypatch.setattr(periodic, "_PERIODIC", [])
    for name, tick in (("away", database_away), ("broken", broken), ("fine", fine)):
        periodic.register(name, tick)
    periodic.register("fine", fine)  # again under its name: replaces, not adds

    periodic.run(stop)

    # The failing ticks wait RETRY seconds; the other one runs whenever it asks.
    assert calls == ["away", "broken", "fine", "fine", "fine"]
    assert [p.name for p in periodic.registered()] == ["away", "broken", "fine"]
