"""Programmes' answers to what the apps below them announce."""

from typing import Any

from naikkelas.graduation.models import Graduation
from naikkelas.programs.milestones import record_graduation


def record_confirmed(sender: Any, graduation: Graduation, **kwargs: Any) -> None:
    record_graduation(graduation)
