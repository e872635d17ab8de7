"""Writes of the monitoring domain: targets, set by an administrator, and report jobs."""

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from naikkelas.accounts.models import User
from naikkelas.core import audit
from naikkelas.core.access import require
from naikkelas.core.errors import DomainError
from naikkelas.jobs.models import Job, JobKind
from naikkelas.jobs.services import start_job
from naikkelas.monitoring.access import access_dashboard
from naikkelas.monitoring.models import Indicator, Target
from naikkelas.monitoring.tasks import build_report
from naikkelas.regions.models import Level, Region


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


@transaction.atomic
def create_target(actor: User, data: dict[str, Any]) -> Target:
    """`data`: indicator, starts_on, ends_on (any day of the first and last month),
    region (a Region or None for the whole city), value, note."""
    require(actor.is_admin)
    indicator = data["indicator"]
    if indicator not in Indicator.values:
        raise DomainError(_("Unknown indicator."), code="unknown_indicator", field="indicator")
    value = int(data["value"])
    if value < 0:
        raise DomainError(_("A target cannot be negative."), code="negative_target", field="value")
    starts_on, ends_on = _month(data["starts_on"]), _month(data["ends_on"])
    if ends_on < starts_on:
        raise DomainError(
            _("The period ends before it starts."), code="period_order", field="ends_on"
        )
    region: Region | None = data.get("region")
    if region is not None and not (
        region.code.startswith(settings.NAIKKELAS_REGION + ".")
        and region.level in (Level.DISTRICT, Level.VILLAGE)
    ):
        raise DomainError(
            _("The region must be a kecamatan or kelurahan of this city."),
            code="region_outside",
            field="region",
        )
    target = Target.objects.create(
        indicator=indicator,
        starts_on=starts_on,
        ends_on=ends_on,
        region=region,
        value=value,
        note=data.get("note", ""),
        created_by=actor,
    )
    audit.record(
        actor,
        "target.created",
        target,
        {
            "indicator": (None, indicator),
            "period": (None, f"{starts_on:%Y-%m}..{ends_on:%Y-%m}"),
            "region": (None, region.code if region else ""),
            "value": (None, value),
        },
    )
    return target


@transaction.atomic
def delete_target(actor: User, target: Target) -> None:
    require(actor.is_admin)
    audit.record(actor, "target.deleted", target, {"value": (target.value, None)})
    target.delete()


def start_report(actor: User, kind: str, month: datetime.date, file_format: str) -> Job:
    access_dashboard(actor)
    return start_job(
        actor,
        JobKind.REPORT,
        build_report,
        user_id=actor.pk,
        report_kind=kind,
        month=f"{month:%Y-%m}",
        file_format=file_format,
    )
