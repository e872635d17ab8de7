"""Graduation's answers to what the apps below it announce."""

from collections.abc import Iterable
from typing import Any

from naikkelas.graduation.engine import recompute


def recompute_changed(sender: Any, business_ids: Iterable[int], **kwargs: Any) -> None:
    """A registry write changes what class and readiness are computed from."""
    recompute(business_ids)
