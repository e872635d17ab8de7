"""Work the job worker does on a clock, beside the jobs people queue.

An app above registers a tick in its AppConfig.ready (monitoring: refresh the
leadership figures when something was written). `naikkelas worker` calls every tick in
a thread of its own, so that a long job (an import of a million rows, a recompute)
never holds it up. A tick does what is due and answers in how many seconds it wants to
be called again.
"""

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections
from django.db.utils import InterfaceError, OperationalError

logger = logging.getLogger(__name__)

# A tick that failed (the database away, or on SQLite locked by a long import beyond the
# busy timeout) is tried again after this many seconds.
RETRY = 10.0


@dataclass(frozen=True)
class Periodic:
    name: str
    tick: Callable[[], float]


_PERIODIC: list[Periodic] = []


def register(name: str, tick: Callable[[], float]) -> None:
    """Add a tick; one registered again under its name replaces the first."""
    _PERIODIC[:] = [*(p for p in _PERIODIC if p.name != name), Periodic(name, tick)]


def registered() -> list[Periodic]:
    return list(_PERIODIC)


def _call(work: Periodic) -> float:
    try:
        return work.tick()
    except (OperationalError, InterfaceError) as error:
        logger.warning("%s: database error (%s); again in %.0f s.", work.name, error, RETRY)
        # This thread's connection may be the one the database dropped: the next tick
        # opens a new one.
        connections.close_all()
        return RETRY
    except Exception:
        logger.exception("%s failed; again in %.0f s.", work.name, RETRY)
        return RETRY


def run(stop: threading.Event) -> None:
    """Call every registered tick when it is due, until `stop` is set."""
    works = registered()
    due = [0.0] * len(works)
    while works and not stop.is_set():
        for i, work in enumerate(works):
            if due[i] <= time.monotonic():
                due[i] = time.monotonic() + _call(work)
        stop.wait(max(0.0, min(due) - time.monotonic()))


def start() -> threading.Event:
    """Run the ticks in a daemon thread (it ends with the worker's process); set the
    event returned to stop it sooner."""
    stop = threading.Event()
    threading.Thread(target=run, args=(stop,), name="periodic", daemon=True).start()
    return stop
