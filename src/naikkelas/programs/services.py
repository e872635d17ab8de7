"""Every write to programmes, enrolments and attendance goes through these functions.

A seat is held from nomination until the enrolment is dropped; the programme row is
locked while seats are counted so that two managers cannot both take the last one.
"""

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from naikkelas.accounts.models import Role, User
from naikkelas.core import audit
from naikkelas.core.access import require
from naikkelas.core.errors import DomainError, FieldErrors, InvalidTransition
from naikkelas.graduation.models import Criterion
from naikkelas.programs.models import (
    CAPACITY,
    SEATED,
    Attendance,
    Cohort,
    Enrolment,
    EnrolmentStatus,
    OrganiserKind,
    Programme,
    ProgrammeType,
    Session,
)
from naikkelas.registry.models import Business, Status

PROGRAMME_FIELDS = (
    "name", "type", "organiser", "organiser_kind", "description", "starts_on", "ends_on",
    "capacity", "budget", "criteria",
)  # fmt: skip


MANAGERS_ONLY = gettext_lazy("Only programme managers may do this.")


def validate_programme(data: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[ValidationError]] = {}
    clean = {k: data[k] for k in PROGRAMME_FIELDS if k in data}
    clean["name"] = str(clean.get("name") or "").strip()
    if not clean["name"]:
        errors["name"] = [ValidationError(_("Give the programme a name."), code="required")]
    if clean.get("type") not in ProgrammeType.values:
        errors["type"] = [ValidationError(_("Choose a programme type."), code="required")]
    clean.setdefault("organiser_kind", OrganiserKind.OFFICE)
    if clean["organiser_kind"] not in OrganiserKind.values:
        errors["organiser_kind"] = [
            ValidationError(_("Choose who organises it."), code="invalid_choice")
        ]
    if not str(clean.get("organiser") or "").strip():
        errors["organiser"] = [ValidationError(_("Name the organiser."), code="required")]
    starts, ends = clean.get("starts_on"), clean.get("ends_on")
    if not isinstance(starts, datetime.date):
        errors["starts_on"] = [ValidationError(_("Give the start date."), code="required")]
    if not isinstance(ends, datetime.date):
        errors["ends_on"] = [ValidationError(_("Give the end date."), code="required")]
    elif isinstance(starts, datetime.date) and ends < starts:
        errors["ends_on"] = [
            ValidationError(
                _("The end date cannot be before the start date."), code="ends_before_start"
            )
        ]
    capacity = clean.get("capacity")
    try:
        if not isinstance(capacity, int) or isinstance(capacity, bool):
            raise CAPACITY.refuse()
        CAPACITY.check(capacity)
    except ValidationError as e:
        errors["capacity"] = e.error_list
    budget = clean.get("budget")
    if budget is not None and (not isinstance(budget, int) or budget < 0):
        errors["budget"] = [
            ValidationError(
                _("The budget must be a rupiah amount of 0 or more."), code="amount_negative"
            )
        ]
    criteria = list(clean.get("criteria") or [])
    if any(code not in Criterion.values for code in criteria):
        errors["criteria"] = [
            ValidationError(_("Unknown readiness criterion."), code="invalid_choice")
        ]
    clean["criteria"] = [c for c in Criterion.values if c in criteria]
    if errors:
        raise FieldErrors(errors)
    return clean


@transaction.atomic
def create_programme(actor: User, data: Mapping[str, Any]) -> Programme:
    require(actor.can_manage_programmes, MANAGERS_ONLY)
    clean = validate_programme(data)
    if Programme.objects.filter(name__iexact=clean["name"]).exists():
        raise FieldErrors(
            {
                "name": [
                    ValidationError(
                        _("A programme with this name exists already."), code="name_taken"
                    )
                ]
            }
        )
    programme = Programme.objects.create(created_by=actor, **clean)
    audit.record(actor, "programme.created", programme, note=programme.name)
    return programme


@transaction.atomic
def update_programme(actor: User, programme: Programme, data: Mapping[str, Any]) -> Programme:
    require(actor.can_manage_programmes, MANAGERS_ONLY)
    current = Programme.objects.select_for_update().get(pk=programme.pk)
    merged = {f: getattr(current, f) for f in PROGRAMME_FIELDS} | dict(data)
    clean = validate_programme(merged)
    if Programme.objects.filter(name__iexact=clean["name"]).exclude(pk=current.pk).exists():
        raise FieldErrors(
            {
                "name": [
                    ValidationError(
                        _("A programme with this name exists already."), code="name_taken"
                    )
                ]
            }
        )
    taken = current.enrolments.filter(status__in=SEATED).count()
    if clean["capacity"] < taken:
        raise FieldErrors(
            {
                "capacity": [
                    ValidationError(
                        _("%(n)d seats are taken already; capacity cannot be lower.")
                        % {"n": taken},
                        code="capacity_below_seats",
                    )
                ]
            }
        )
    changes = {f: (getattr(current, f), v) for f, v in clean.items() if getattr(current, f) != v}
    for field, (_old, new) in changes.items():
        setattr(current, field, new)
    current.save(update_fields=list(changes) or None)
    audit.record(actor, "programme.updated", current, changes)
    return current


def seats_taken(programme: Programme) -> int:
    return programme.enrolments.filter(status__in=SEATED).count()


def _may_nominate(actor: User, business: Business) -> bool:
    if actor.can_manage_programmes:
        return True
    # An owner applies to a programme for the own business.
    return actor.role == Role.OWNER and business.owner_account_id == actor.pk


def nominate(
    actor: User,
    programme: Programme,
    business: Business,
    *,
    cohort: Cohort | None = None,
    on: datetime.date | None = None,
) -> Enrolment:
    """Take a seat for a business (a manager's nomination or an owner's application)."""
    require(_may_nominate(actor, business), _("Only programme managers may nominate businesses."))
    on = on or timezone.localdate()
    with transaction.atomic():
        locked = Programme.objects.select_for_update().get(pk=programme.pk)
        if business.status in (Status.ARCHIVED, Status.MERGED):
            raise DomainError(
                _("%(name)s is archived or merged and cannot join a programme.")
                % {"name": business.name},
                code="business_inactive",
            )
        if on > locked.ends_on:
            raise DomainError(
                _("%(programme)s has ended.") % {"programme": locked.name}, code="programme_ended"
            )
        existing = Enrolment.objects.filter(programme=locked, business=business).first()
        if existing and existing.status != EnrolmentStatus.DROPPED:
            raise DomainError(
                _("%(name)s is already in %(programme)s.")
                % {"name": business.name, "programme": locked.name},
                code="already_enrolled",
            )
        if seats_taken(locked) >= locked.capacity:
            raise DomainError(
                _("%(programme)s is full (%(capacity)d seats).")
                % {"programme": locked.name, "capacity": locked.capacity},
                code="programme_full",
            )
        if existing:
            existing.status, existing.nominated_on, existing.cohort = (
                EnrolmentStatus.NOMINATED, on, cohort,
            )  # fmt: skip
            existing.enrolled_on = existing.completed_on = existing.dropped_on = None
            existing.dropped_reason = ""
            existing.save()
            audit.record(actor, "enrolment.renominated", existing, note=locked.name)
            return existing
        try:
            with transaction.atomic():
                enrolment = Enrolment.objects.create(
                    programme=locked, business=business, cohort=cohort, nominated_on=on,
                    created_by=actor,
                )  # fmt: skip
        except IntegrityError:
            raise DomainError(
                _("This business is already in the programme."), code="already_enrolled"
            ) from None
        audit.record(actor, "enrolment.nominated", enrolment, note=locked.name)
        return enrolment


def _move(
    actor: User,
    enrolment: Enrolment,
    allowed_from: Iterable[str],
    to: str,
    changes: dict[str, Any],
) -> Enrolment:
    require(actor.can_manage_programmes, MANAGERS_ONLY)
    with transaction.atomic():
        current = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if current.status not in allowed_from:
            raise InvalidTransition(
                _("An enrolment that is %(status)s cannot become %(to)s.")
                % {"status": current.get_status_display(), "to": EnrolmentStatus(to).label}
            )
        old = {"status": current.status} | {f: getattr(current, f) for f in changes}
        current.status = to
        for field, value in changes.items():
            setattr(current, field, value)
        current.save(update_fields=["status", *changes])
        audit.record(
            actor, f"enrolment.{to}", current,
            {f: (old[f], getattr(current, f)) for f in old},
        )  # fmt: skip
        return current


def _date(on: datetime.date | None, after: datetime.date | None) -> datetime.date:
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise FieldErrors(
            {"on": [ValidationError(_("The date cannot be in the future."), code="date_future")]}
        )
    if after and on < after:
        raise FieldErrors(
            {
                "on": [
                    ValidationError(
                        _("The date cannot be before the previous step."),
                        code="date_before_previous",
                    )
                ]
            }
        )
    return on


def enrol(actor: User, enrolment: Enrolment, on: datetime.date | None = None) -> Enrolment:
    on = _date(on, enrolment.nominated_on)
    return _move(
        actor, enrolment, [EnrolmentStatus.NOMINATED], EnrolmentStatus.ENROLLED, {"enrolled_on": on}
    )


def complete(
    actor: User, enrolment: Enrolment, outcome: str, on: datetime.date | None = None
) -> Enrolment:
    on = _date(on, enrolment.enrolled_on)
    if not outcome.strip():
        raise FieldErrors(
            {
                "outcome": [
                    ValidationError(
                        _("Write what the business took away from it."), code="required"
                    )
                ]
            }
        )
    return _move(
        actor, enrolment, [EnrolmentStatus.ENROLLED], EnrolmentStatus.COMPLETED,
        {"completed_on": on, "outcome": outcome.strip()},
    )  # fmt: skip


def drop(
    actor: User, enrolment: Enrolment, reason: str, on: datetime.date | None = None
) -> Enrolment:
    on = _date(on, enrolment.nominated_on)
    if not reason.strip():
        raise FieldErrors({"reason": [ValidationError(_("Give a reason."), code="required")]})
    return _move(
        actor, enrolment, [EnrolmentStatus.NOMINATED, EnrolmentStatus.ENROLLED],
        EnrolmentStatus.DROPPED, {"dropped_on": on, "dropped_reason": reason.strip()},
    )  # fmt: skip


@transaction.atomic
def add_session(actor: User, programme: Programme, held_on: datetime.date, title: str) -> Session:
    require(actor.can_manage_programmes, MANAGERS_ONLY)
    errors: dict[str, list[ValidationError]] = {}
    if not title.strip():
        errors["title"] = [ValidationError(_("Give the session a topic."), code="required")]
    if not programme.starts_on <= held_on <= programme.ends_on:
        errors["held_on"] = [
            ValidationError(
                _("The session must fall within the programme's period."),
                code="date_outside_programme",
            )
        ]
    if errors:
        raise FieldErrors(errors)
    session = Session.objects.create(programme=programme, held_on=held_on, title=title.strip())
    audit.record(actor, "programme.session_added", programme, note=f"{held_on} {title.strip()}")
    return session


@transaction.atomic
def record_attendance(actor: User, session: Session, present: Iterable[int]) -> int:
    """Mark who came; everyone else enrolled in the programme is marked absent."""
    require(actor.can_manage_programmes, MANAGERS_ONLY)
    if session.held_on > timezone.localdate():
        raise DomainError(_("Attendance is recorded after the session."), code="session_ahead")
    enrolments = list(
        session.programme.enrolments.filter(
            status__in=[EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED]
        ).values_list("pk", flat=True)
    )
    came = set(present)
    if came - set(enrolments):
        raise FieldErrors(
            {
                "present": [
                    ValidationError(_("Only enrolled businesses can attend."), code="not_enrolled")
                ]
            }
        )
    Attendance.objects.filter(session=session).delete()
    Attendance.objects.bulk_create(
        Attendance(session=session, enrolment_id=pk, present=pk in came) for pk in enrolments
    )
    audit.record(
        actor, "programme.attendance_recorded", session.programme,
        note=f"{session.held_on} {session.title}: {len(came)}/{len(enrolments)}",
    )  # fmt: skip
    return len(came)
