"""Every write to visits and complaints goes through these functions.

A complaint moves baru -> ditindaklanjuti -> selesai; each step, assignment and note is
a FollowUp row and an audit entry. A need may start a programme enrolment or a bank
referral through the programmes' own services, which keep their own rules.
"""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar, cast

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from naikkelas.accounts.models import User
from naikkelas.core import audit, images, rules
from naikkelas.core.access import require
from naikkelas.core.errors import FieldErrors, InvalidTransition, Refusal
from naikkelas.engagement.models import (
    Category,
    Complaint,
    ComplaintPhoto,
    ComplaintStatus,
    FollowUp,
    Office,
    Visit,
    VisitKind,
    VisitPhoto,
)
from naikkelas.programs import referrals
from naikkelas.programs.models import Bank, Programme
from naikkelas.programs.services import nominate
from naikkelas.regions.models import Region
from naikkelas.registry.access import businesses_for, kelurahan_for
from naikkelas.registry.models import Business
from naikkelas.registry.services import KELURAHAN_OUTSIDE

# The refusals of visits and complaints, each with its stable code (what the API and a
# client react to); the messages say what to do.
BUSINESS_OUTSIDE_AREA = rules.Rule(
    "business_outside_area", gettext_lazy("A business you chose is outside your area.")
)
VISIT_KIND = rules.Rule("invalid_choice", gettext_lazy("Choose the kind of visit."))
_VISIT_DATE = gettext_lazy("Give the date of the visit (not in the future).")
VISIT_DATE_MISSING = rules.Rule("required", _VISIT_DATE)
VISIT_DATE_FUTURE = rules.Rule("date_future", _VISIT_DATE)
CATEGORY = rules.Rule("invalid_choice", gettext_lazy("Choose a category."))
COMPLAINT_TEXT = rules.Rule("required", gettext_lazy("Write down what was said."))
DUE_DATE = rules.Rule("required", gettext_lazy("Give the date the office must answer by."))
FOLLOW_UP_NOTE = rules.Rule("required", gettext_lazy("Say what was done."))
NO_BUSINESS = rules.Rule(
    "complaint_without_business", gettext_lazy("This complaint names no business.")
)

NEXT_STATUS = {
    ComplaintStatus.NEW: {ComplaintStatus.NEW, ComplaintStatus.IN_PROGRESS},
    ComplaintStatus.IN_PROGRESS: {ComplaintStatus.IN_PROGRESS, ComplaintStatus.DONE},
    ComplaintStatus.DONE: {ComplaintStatus.DONE},
}


def _text(value: Any) -> str:
    return str(value or "").strip()


# The position fields, each checked when given (core.rules.POSITION).
POSITION_RULES = {field: rules.check_all(found) for field, found in rules.POSITION.items()}


def _checked_position(
    data: Mapping[str, Any], errors: dict[str, Sequence[Refusal]]
) -> dict[str, Any]:
    """The position given in `data` (each field optional), once the record's other
    refusals, `errors`, and those of the position's rules are raised together if any: one
    answer names every bad field."""
    given = {field: data[field] for field in POSITION_RULES if data.get(field) is not None}
    errors.update(rules.broken(given, POSITION_RULES))
    if errors:
        raise FieldErrors(errors)
    return given


def _check_businesses(actor: User, businesses: Iterable[Business]) -> list[Business]:
    chosen = list(businesses)
    visible = set(
        businesses_for(actor).filter(pk__in=[b.pk for b in chosen]).values_list("pk", flat=True)
    )
    if any(b.pk not in visible for b in chosen):
        raise FieldErrors({"businesses": [BUSINESS_OUTSIDE_AREA.refuse()]})
    return chosen


def _kelurahan_refusal(actor: User, village: Region | None) -> ValidationError | None:
    if village is None:
        return rules.REQUIRED.refuse()
    if not kelurahan_for(actor).filter(pk=village.pk).exists():
        return KELURAHAN_OUTSIDE.refuse()
    return None


@transaction.atomic
def record_visit(
    actor: User,
    data: Mapping[str, Any],
    *,
    businesses: Iterable[Business] = (),
    photos: Iterable[UploadedFile] = (),
) -> Visit:
    require(actor.can_record_engagement)
    errors: dict[str, Sequence[Refusal]] = {}
    if data.get("kind") not in VisitKind.values:
        errors["kind"] = [VISIT_KIND.refuse()]
    held_on = data.get("held_on")
    if not isinstance(held_on, datetime.date):
        errors["held_on"] = [VISIT_DATE_MISSING.refuse()]
    elif held_on > timezone.localdate():
        errors["held_on"] = [VISIT_DATE_FUTURE.refuse()]
    if (refusal := _kelurahan_refusal(actor, data.get("kelurahan"))) is not None:
        errors["kelurahan"] = [refusal]
    for field in ("place", "visitors"):
        if not _text(data.get(field)):
            errors[field] = [rules.REQUIRED.refuse()]
    position = _checked_position(data, errors)
    chosen = _check_businesses(actor, businesses)
    visit = Visit.objects.create(
        kind=data["kind"], held_on=data["held_on"], kelurahan=data["kelurahan"],
        place=_text(data["place"]), visitors=_text(data["visitors"]),
        notes=_text(data.get("notes")), recorded_by=actor, **position,
    )  # fmt: skip
    visit.businesses.set(chosen)
    for upload in photos:
        images.save_photo(VisitPhoto(visit=visit), upload)
    audit.record(actor, "visit.recorded", visit, {"businesses": (None, len(chosen))})
    return visit


_Photo = TypeVar("_Photo", VisitPhoto, ComplaintPhoto)


def _add_photo(
    actor: User, photo: _Photo, upload: UploadedFile, action: str, record: Visit | Complaint
) -> _Photo:
    require(actor.can_record_engagement)
    images.save_photo(photo, upload)
    audit.record(actor, action, record, {"photo": (None, photo.image.name)})
    return photo


@transaction.atomic
def add_visit_photo(actor: User, visit: Visit, upload: UploadedFile) -> VisitPhoto:
    """A photo added to a visit already recorded (the visit's own come with it)."""
    return _add_photo(actor, VisitPhoto(visit=visit), upload, "visit.photo_added", visit)


@transaction.atomic
def add_complaint_photo(actor: User, complaint: Complaint, upload: UploadedFile) -> ComplaintPhoto:
    return _add_photo(
        actor, ComplaintPhoto(complaint=complaint), upload, "complaint.photo_added", complaint
    )


@transaction.atomic
def record_complaint(
    actor: User,
    data: Mapping[str, Any],
    *,
    business: Business | None = None,
    visit: Visit | None = None,
) -> Complaint:
    """Record a complaint or need; its kelurahan is the business's, else the visit's, else
    the one given."""
    require(actor.can_record_engagement)
    errors: dict[str, Sequence[Refusal]] = {}
    if data.get("category") not in Category.values:
        errors["category"] = [CATEGORY.refuse()]
    if not _text(data.get("text")):
        errors["text"] = [COMPLAINT_TEXT.refuse()]
    if business is not None:
        _check_businesses(actor, [business])
    village = (
        business.kelurahan
        if business is not None
        else visit.kelurahan
        if visit is not None
        else data.get("kelurahan")
    )
    if (refusal := _kelurahan_refusal(actor, village)) is not None:
        errors["kelurahan"] = [refusal]
    position = _checked_position(data, errors)
    complaint = Complaint.objects.create(
        visit=visit, business=business, kelurahan=cast(Region, village), category=data["category"],
        text=_text(data["text"]), recorded_by=actor, **position,
    )  # fmt: skip
    audit.record(actor, "complaint.recorded", complaint, {"category": (None, complaint.category)})
    return complaint


OFFICE_ONLY = gettext_lazy("Only the programme office follows complaints up.")


def _step(actor: User, complaint: Complaint, status: str, note: str) -> FollowUp:
    return FollowUp.objects.create(complaint=complaint, author=actor, status=status, note=note)


@transaction.atomic
def assign(
    actor: User, complaint: Complaint, office: Office, due_on: Any, note: str = ""
) -> Complaint:
    require(actor.can_follow_up_complaints, OFFICE_ONLY)
    if not isinstance(due_on, datetime.date):
        raise FieldErrors({"due_on": [DUE_DATE.refuse()]})
    current = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if current.status == ComplaintStatus.DONE:
        raise InvalidTransition(_("This complaint is already done."))
    changes = {
        "office": (str(current.office) if current.office else None, str(office)),
        "due_on": (current.due_on, due_on),
    }
    current.office, current.due_on = office, due_on
    current.save(update_fields=["office", "due_on"])
    text = _("Assigned to %(office)s, due %(date)s.") % {"office": office, "date": due_on}
    _step(actor, current, current.status, f"{text} {_text(note)}".strip())
    audit.record(actor, "complaint.assigned", current, changes, _text(note))
    return current


@transaction.atomic
def follow_up(actor: User, complaint: Complaint, status: str, note: str) -> Complaint:
    """Move the complaint on (or add a note without moving it); a note is always needed."""
    require(actor.can_follow_up_complaints, OFFICE_ONLY)
    note = _text(note)
    if not note:
        raise FieldErrors({"note": [FOLLOW_UP_NOTE.refuse()]})
    current = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if status not in NEXT_STATUS[ComplaintStatus(current.status)]:
        raise InvalidTransition(
            _("A complaint that is %(old)s cannot become %(new)s.")
            % {
                "old": current.get_status_display().lower(),
                "new": str(ComplaintStatus(status).label).lower()
                if status in ComplaintStatus.values
                else status,
            }
        )
    old = current.status
    current.status = status
    if status == ComplaintStatus.DONE and old != status:
        current.closed_at = timezone.now()
    current.save(update_fields=["status", "closed_at"])
    _step(actor, current, status, note)
    audit.record(actor, "complaint.followed_up", current, {"status": (old, status)}, note)
    return current


def _started(actor: User, complaint: Complaint, note: str) -> None:
    current = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if current.status == ComplaintStatus.NEW:
        current.status = ComplaintStatus.IN_PROGRESS
        current.save(update_fields=["status"])
        complaint.status = current.status
    _step(actor, complaint, complaint.status, note)


def _business_of(complaint: Complaint) -> Business:
    if complaint.business is None:
        raise FieldErrors({"business": [NO_BUSINESS.refuse()]})
    return complaint.business


@transaction.atomic
def start_enrolment(actor: User, complaint: Complaint, programme: Programme) -> Complaint:
    """The need becomes an application to a programme (the programme's rules apply)."""
    require(actor.can_follow_up_complaints, OFFICE_ONLY)
    enrolment = nominate(actor, programme, _business_of(complaint))
    complaint.enrolment = enrolment
    complaint.save(update_fields=["enrolment"])
    _started(actor, complaint, _("Nominated for %(programme)s.") % {"programme": programme.name})
    audit.record(actor, "complaint.enrolment_started", complaint, note=programme.name)
    return complaint


@transaction.atomic
def start_referral(
    actor: User,
    complaint: Complaint,
    bank: Bank,
    product: str,
    amount: Any,
    *,
    owner_consent: bool = False,
) -> Complaint:
    """A capital need becomes a credit referral to a partner bank."""
    require(actor.can_follow_up_complaints, OFFICE_ONLY)
    referral = referrals.refer(
        actor, _business_of(complaint), bank, product, amount,
        purpose=complaint.text[:500], owner_consent=owner_consent,
    )  # fmt: skip
    complaint.referral = referral
    complaint.save(update_fields=["referral"])
    _started(actor, complaint, _("Referred to %(bank)s.") % {"bank": bank.name})
    audit.record(actor, "complaint.referral_started", complaint, note=bank.name)
    return complaint
