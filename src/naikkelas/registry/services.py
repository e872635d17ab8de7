"""Every write of a single record of the registry goes through these functions.

Each owns its transaction, validates, writes the audit entry and refuses what the actor
may not do; views, the API, commands and other apps call them and never save models.
Importers and loaders write many records at a time through `registry.bulk`, a merge
through `registry.merging` (tests/test_one_writer.py keeps every other module out).
"""

import uuid
from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from naikkelas.accounts.models import User
from naikkelas.core import audit, images, pii, rules, submissions
from naikkelas.core.access import require
from naikkelas.core.errors import (
    DomainError,
    FieldErrors,
    InvalidTransition,
    StaleEdit,
)
from naikkelas.registry import identifiers
from naikkelas.registry.access import businesses_for, kelurahan_for
from naikkelas.registry.kbli import sector_of
from naikkelas.registry.models import (
    Basis,
    Business,
    BusinessPhoto,
    FinancialRecord,
    LegalityDocument,
    Owner,
    Product,
    SalesChannel,
    Status,
)
from naikkelas.registry.signals import businesses_changed, identity_changed

# Business columns a user edits (the rest is workflow, provenance or derived).
BUSINESS_FIELDS = (
    "name", "nib", "kbli", "main_activity", "main_product", "legal_form",
    "reported_size_class", "start_month", "start_year", "founding_capital",
    "kelurahan", "rw", "rt", "street", "latitude", "longitude", "location_accuracy",
    "photo_url", "sentra",
    "exports", "export_destinations",
    "paid_male", "paid_female", "paid_disabled_male", "paid_disabled_female",
    "unpaid_male", "unpaid_female", "unpaid_disabled_male", "unpaid_disabled_female",
)  # fmt: skip
# Owner columns, as they are named in the input (prefixed where they would clash).
OWNER_FIELDS = {
    "owner_name": "name", "gender": "gender", "has_disability": "has_disability",
    "birth_date": "birth_date", "education": "education", "owner_kelurahan": "kelurahan",
    "owner_street": "street", "owner_rt": "rt", "owner_rw": "rw",
}  # fmt: skip
PERSONAL = ("nik", "phone")

KELURAHAN_OUTSIDE = rules.Rule(
    "kelurahan_outside_area", _l("This kelurahan is outside your working area.")
)
NOT_A_KELURAHAN = rules.Rule("not_a_kelurahan", _l("Choose a kelurahan or desa."))


# The rules of a business's input, by field: `validate` applies them and the API serves
# them (`GET /api/v1/rules/`). Identifiers are cleaned (normalised) as well as checked.
BUSINESS_RULES: dict[str, tuple[rules.Rule, ...]] = {
    "name": (rules.REQUIRED,), "owner_name": (rules.REQUIRED,),
    "nib": identifiers.NIB, "kbli": identifiers.KBLI,
    "nik": identifiers.NIK, "phone": identifiers.PHONE,
    "kelurahan": (rules.REQUIRED, KELURAHAN_OUTSIDE), "owner_kelurahan": (NOT_A_KELURAHAN,),
    "rt": (rules.RT,), "rw": (rules.RW,), "owner_rt": (rules.RT,), "owner_rw": (rules.RW,),
    **rules.POSITION,
    "founding_capital": rules.AMOUNT, "start_year": (rules.YEAR,),
    "start_month": (rules.MONTH,), "birth_date": (rules.BIRTH_DATE,),
}  # fmt: skip
# The rules that only compare the value, applied together.
RANGED = {
    field: rules.check_all(found)
    for field, found in BUSINESS_RULES.items()
    if all(isinstance(rule, rules.Range | rules.DateRange) for rule in found)
}


def validate(
    actor: User, data: Mapping[str, Any], *, business: Business | None = None
) -> dict[str, Any]:
    """Check and normalise business input; raise FieldErrors naming every bad field.

    `data` holds typed values (forms and serializers parse text); only keys present are
    checked, so an update may send part of a record.
    """
    errors: dict[str, list[ValidationError]] = {}
    clean: dict[str, Any] = dict(data)

    def fail(field: str, refusal: ValidationError) -> None:
        errors.setdefault(field, []).extend(refusal.error_list)

    def check(field: str, cleaner: Any) -> None:
        if field not in clean:
            return
        value = clean[field]
        if value in (None, ""):
            clean[field] = "" if field in ("nib", "kbli", "nik", "phone") else value
            return
        try:
            clean[field] = cleaner(str(value))
        except ValidationError as e:
            fail(field, e)

    for field in ("name", "owner_name"):
        if field in clean or business is None:
            clean[field] = rules.visible_text(clean.get(field) or "")
            if not clean[field]:
                fail(field, rules.REQUIRED.refuse())
    check("nib", identifiers.clean_nib)
    check("kbli", identifiers.clean_kbli)
    check("nik", identifiers.clean_nik)
    check("phone", identifiers.clean_phone)
    if "kbli" in clean:
        clean["sector"] = sector_of(clean["kbli"]) or ""

    if "kelurahan" in clean or business is None:
        village = clean.get("kelurahan")
        if village is None:
            fail("kelurahan", rules.REQUIRED.refuse())
        elif not kelurahan_for(actor).filter(pk=village.pk).exists():
            fail("kelurahan", KELURAHAN_OUTSIDE.refuse())
    owner_village = clean.get("owner_kelurahan")
    if owner_village is not None and owner_village.level != 4:
        fail("owner_kelurahan", NOT_A_KELURAHAN.refuse())

    present = {f: clean[f] for f in RANGED if clean.get(f) is not None}
    for field, refusals in rules.broken(present, RANGED).items():
        errors.setdefault(field, []).extend(refusals)
    if errors:
        raise FieldErrors(errors)
    return clean


def _owner_changes(
    owner: Owner, clean: Mapping[str, Any], *, keep_blank: bool = False
) -> dict[str, tuple[Any, Any]]:
    """Apply the owner fields of `clean` to `owner` and return what changed.

    With `keep_blank`, an empty input keeps what is stored (a registration that finds a
    known person must not wipe what others recorded of them).
    """
    changes: dict[str, tuple[Any, Any]] = {}
    for key, attr in OWNER_FIELDS.items():
        if key not in clean or (keep_blank and clean[key] in (None, "")):
            continue
        if getattr(owner, attr) != clean[key]:
            changes[key] = (getattr(owner, attr), clean[key])
            setattr(owner, attr, clean[key])
    # Personal data: a blank input keeps what is stored; the log gets masked values only.
    if clean.get("nik") and clean["nik"] != owner.nik:
        changes["nik"] = (owner.nik_masked or None, pii.mask_nik(clean["nik"]))
        owner.set_nik(clean["nik"])
    if clean.get("phone") and clean["phone"] != owner.phone:
        changes["phone"] = (owner.phone_masked or None, pii.mask_phone(clean["phone"]))
        owner.set_phone(clean["phone"])
    return changes


def _owner_within_scope(actor: User, owner: Owner) -> bool:
    """Whether every business of `owner` lies in the actor's scope.

    Only then may the actor write the owner: their name, address and NIK show on each of
    those businesses, and a volunteer must not change (or read) what belongs elsewhere.
    """
    return not (
        Business.objects.filter(owner=owner)
        .exclude(pk__in=businesses_for(actor).values("pk"))
        .exists()
    )


def _record_owner_change(
    actor: User, owner: Owner, changes: dict[str, tuple[Any, Any]], *, on: Business
) -> None:
    """The owner's other businesses show the change in their own history too."""
    if not changes:
        return
    for other in Business.objects.filter(owner=owner).exclude(pk=on.pk).order_by("pk"):
        audit.record(actor, "business.owner_updated", other, changes, f"via business {on.pk}")


def known_owner(business: Business) -> Owner | None:
    """The first owner record with this business owner's NIK, for a curator to link to.

    Only an older record counts: the business of the person's first record must not be
    offered a link to whatever a later registration typed in.
    """
    if not business.owner.nik_index:
        return None
    return (
        Owner.objects.filter(nik_index=business.owner.nik_index, pk__lt=business.owner_id)
        .order_by("pk")
        .first()
    )


@transaction.atomic
def create_business(
    actor: User, data: Mapping[str, Any], *, submission: uuid.UUID | None = None
) -> Business:
    """Register a business as a draft.

    One person may run several businesses: an owner already known by the NIK's blind
    index is linked when all their businesses lie within the actor's scope (the actor can
    already see and edit that person), and only filled-in fields change. Otherwise the
    business gets an owner of its own and a curator links the two (`link_owner`): a
    registration never writes, nor shows, a person recorded outside the actor's area.
    """
    require(actor.can_register)
    claimed = submissions.claim(actor, submission) if submission else None
    clean = validate(actor, data)
    owner = None
    if clean.get("nik"):
        found = Owner.objects.filter(nik_index=pii.blind_index(clean["nik"])).order_by("pk")
        owner = next((o for o in found[:5] if _owner_within_scope(actor, o)), None)
    linked = owner is not None
    owner = owner or Owner()
    owner_changes = _owner_changes(owner, clean, keep_blank=linked)
    owner.save()
    business = Business(owner=owner, created_by=actor)
    for field in (*BUSINESS_FIELDS, "sector"):
        if field in clean:
            setattr(business, field, clean[field])
    business.save()
    changes = {f: (None, clean[f]) for f in BUSINESS_FIELDS if clean.get(f) not in (None, "")}
    audit.record(actor, "business.created", business, {**changes, **owner_changes})
    if linked:
        _record_owner_change(actor, owner, owner_changes, on=business)
    submissions.done(claimed, business)
    businesses_changed.send(Business, business_ids=[business.pk])
    identity_changed.send(Business, business_ids=[business.pk])
    return business


@transaction.atomic
def link_owner(actor: User, business: Business) -> Business:
    """Give the business the owner already known by its owner's NIK (a curator's step).

    The known owner's record is kept as it is; the business's own owner record, left
    with no business, is deleted (what was typed into it stays in the audit history).
    """
    require(actor.can_curate)
    _editable(business)
    current = Business.objects.select_for_update().select_related("owner").get(pk=business.pk)
    known = known_owner(current)
    if known is None:
        raise DomainError(
            _("No other owner has this NIK; there is nothing to link."), code="no_known_owner"
        )
    previous = current.owner
    previous_id = previous.pk
    _bump(current, owner=known)
    if not Business.objects.filter(owner=previous).exists():
        previous.delete()
    current.refresh_from_db()
    audit.record(
        actor, "business.owner_linked", current, {"owner": (previous_id, known.pk)},
        _("Linked to the owner already registered with this NIK."),
    )  # fmt: skip
    businesses_changed.send(Business, business_ids=[current.pk])
    return current


@transaction.atomic
def update_business(
    actor: User, business: Business, data: Mapping[str, Any], *, expected_version: int
) -> Business:
    """Apply an edit made on `expected_version`; a later save by someone else wins."""
    require(actor.can_register)
    _editable(business)
    clean = validate(actor, data, business=business)
    current = Business.objects.select_for_update().select_related("owner").get(pk=business.pk)
    if current.version != expected_version:
        raise StaleEdit(
            _(
                "Someone else saved this business while you were editing it. "
                "Reload the page to see their changes; nothing of yours was saved."
            )
        )
    changes: dict[str, tuple[Any, Any]] = {}
    for field in (*BUSINESS_FIELDS, "sector"):
        if field in clean and getattr(current, field) != clean[field]:
            changes[field] = (getattr(current, field), clean[field])
            setattr(current, field, clean[field])
    owner_changes = _owner_changes(current.owner, clean)
    if owner_changes:
        if not _owner_within_scope(actor, current.owner):
            raise FieldErrors(
                {
                    field: [
                        ValidationError(
                            _(
                                "This person also runs a business outside your working area; "
                                "a curator updates their details."
                            ),
                            code="owner_outside_area",
                        )
                    ]
                    for field in owner_changes
                }
            )
        current.owner.save()
        _record_owner_change(actor, current.owner, owner_changes, on=current)
    if not changes and not owner_changes:
        return current
    note = ""
    # A field edit of a curated record must be curated again before it counts.
    if not actor.can_curate and current.status == Status.VERIFIED:
        current.status = Status.SUBMITTED
        current.submitted_at = timezone.now()
        note = _("Edited after verification; back in the curation queue.")
    current.version = F("version") + 1
    current.save()
    current.refresh_from_db()
    audit.record(actor, "business.updated", current, {**changes, **owner_changes}, note)
    businesses_changed.send(Business, business_ids=[current.pk])
    if {"name", "nib"} & changes.keys() or {"nik", "phone"} & owner_changes.keys():
        identity_changed.send(Business, business_ids=[current.pk])
    return current


_TRANSITIONS: dict[str, tuple[set[str], str]] = {
    "submit": ({Status.DRAFT, Status.RETURNED}, Status.SUBMITTED),
    "verify": ({Status.SUBMITTED}, Status.VERIFIED),
    "return": ({Status.SUBMITTED}, Status.RETURNED),
    "archive": (
        {Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.VERIFIED},
        Status.ARCHIVED,
    ),
}


def _transition(actor: User, business: Business, verb: str, reason: str = "") -> Business:
    allowed_from, target = _TRANSITIONS[verb]
    current = Business.objects.select_for_update().get(pk=business.pk)
    if current.status not in allowed_from:
        raise InvalidTransition(
            _("A business that is %(status)s cannot be given this step.")
            % {"status": current.get_status_display().lower()}
        )
    old = current.status
    now = timezone.now()
    current.status = target
    current.status_reason = reason
    current.version = F("version") + 1
    if target == Status.SUBMITTED:
        current.submitted_at = now
    if target == Status.VERIFIED:
        current.verified_at, current.verified_by = now, actor
    current.save(
        update_fields=[
            "status",
            "status_reason",
            "version",
            "submitted_at",
            "verified_at",
            "verified_by",
            "updated_at",
        ]
    )
    current.refresh_from_db()
    audit.record(actor, f"business.{target}", current, {"status": (old, target)}, reason)
    return current


@transaction.atomic
def submit_business(actor: User, business: Business) -> Business:
    require(actor.can_register)
    return _transition(actor, business, "submit")


@transaction.atomic
def verify_business(actor: User, business: Business) -> Business:
    require(actor.can_curate)
    return _transition(actor, business, "verify")


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise FieldErrors({"reason": [ValidationError(_("Give a reason."), code="required")]})
    return reason


@transaction.atomic
def return_business(actor: User, business: Business, reason: str) -> Business:
    require(actor.can_curate)
    return _transition(actor, business, "return", _reason(reason))


@transaction.atomic
def archive_business(actor: User, business: Business, reason: str) -> Business:
    require(actor.can_curate)
    return _transition(actor, business, "archive", _reason(reason))


# The workflow's steps by the verb the web page and the API name them; each takes
# (actor, business, reason), and only return and archive use the reason.
STEPS: dict[str, Callable[[User, Business, str], Business]] = {
    "submit": lambda actor, business, reason: submit_business(actor, business),
    "verify": lambda actor, business, reason: verify_business(actor, business),
    "return": return_business,
    "archive": archive_business,
}


@transaction.atomic
def reveal_personal_data(actor: User, business: Business) -> dict[str, str]:
    """The owner's NIK and phone in clear, for the roles that need them; always audited."""
    require(actor.can_reveal_personal_data)
    owner = business.owner
    audit.record(actor, "owner.personal_data_revealed", business, {}, f"owner {owner.pk}")
    return {"nik": owner.nik, "phone": owner.phone}


def _editable(business: Business) -> None:
    if business.status == Status.ARCHIVED:
        raise InvalidTransition(_("An archived business cannot be edited."))
    if business.status == Status.MERGED:
        # Its data now lives in the record it was merged into; editing it here would
        # also make undoing the merge clash.
        raise InvalidTransition(
            _("A merged business cannot be edited; edit the one it was merged into.")
        )


def _bump(business: Business, **fields: Any) -> None:
    """Write `fields` of the business in one UPDATE, as a change: the version goes up, so
    that a form open on the old one is refused, and so does the time of the last change."""
    Business.objects.filter(pk=business.pk).update(
        **fields, version=F("version") + 1, updated_at=timezone.now()
    )


def _touch(actor: User, business: Business) -> None:
    require(actor.can_register)
    _editable(business)
    _bump(business)


@transaction.atomic
def save_financial_record(
    actor: User, business: Business, data: Mapping[str, Any], *, correct: bool = False
) -> FinancialRecord:
    """Record one year's figures. A year already recorded on the same basis is refused
    unless the caller says it is a correction (the history keeps the old values)."""
    if data.get("basis") == Basis.VERIFIED:
        require(actor.can_curate)
    _touch(actor, business)
    year: Any = data.get("year")
    basis = data.get("basis") or Basis.REPORTED
    errors = rules.broken({"year": year, **present_figures(data)}, FIGURE_RULES)
    if "year" in errors:
        raise FieldErrors(errors)
    if business.start_year and year < business.start_year:
        errors["year"] = [
            ValidationError(
                _("The business started in %(start)s; figures for %(year)s cannot exist.")
                % {"start": business.start_year, "year": year},
                code="year_before_start",
            )
        ]
    elif (
        not correct
        and FinancialRecord.objects.filter(business=business, year=year, basis=basis).exists()
    ):
        errors["year"] = [
            ValidationError(
                _("Figures for %(year)s are already recorded. Tick “correction” to replace them.")
                % {"year": year},
                code="year_recorded",
            )
        ]
    if errors:
        raise FieldErrors(errors)
    record, _created = FinancialRecord.objects.get_or_create(
        business=business, year=year, basis=basis
    )
    changes = {}
    for field in ("annual_sales", "capital", "assets", "evidence"):
        if field in data and getattr(record, field) != data[field]:
            changes[field] = (getattr(record, field), data[field])
            setattr(record, field, data[field])
    record.recorded_by = actor
    record.save()
    audit.record(
        actor, "business.financials_recorded", business, changes, f"{record.year} {record.basis}"
    )
    businesses_changed.send(Business, business_ids=[business.pk])
    return record


FIGURES = ("annual_sales", "capital", "assets")


# A year's figures: the year must be there, each amount only when given.
FIGURE_RULES = {"year": rules.year, **dict.fromkeys(FIGURES, rules.amount)}


def present_figures(data: Mapping[str, Any]) -> dict[str, Any]:
    return {f: data[f] for f in FIGURES if data.get(f) is not None}


DETAIL_MODELS: dict[str, type[LegalityDocument] | type[Product] | type[SalesChannel]] = {
    "legality": LegalityDocument,
    "product": Product,
    "channel": SalesChannel,
}


@transaction.atomic
def add_detail(actor: User, business: Business, kind: str, data: Mapping[str, Any]) -> Model:
    """Add a legality document, product or sales channel to a business."""
    _touch(actor, business)
    item = DETAIL_MODELS[kind](business=business, **data)
    try:
        item.full_clean()
    except ValidationError as e:
        raise FieldErrors(e.error_dict) from None
    item.save()
    audit.record(actor, f"business.{kind}_added", business, {k: (None, v) for k, v in data.items()})
    businesses_changed.send(Business, business_ids=[business.pk])
    return item


@transaction.atomic
def remove_detail(actor: User, business: Business, kind: str, item_id: int) -> None:
    _touch(actor, business)
    item = DETAIL_MODELS[kind].objects.filter(business=business, pk=item_id).first()
    if item is None:
        raise DomainError(_("That item no longer exists."), code="not_found")
    audit.record(actor, f"business.{kind}_removed", business, {"item": (str(item), None)})
    item.delete()
    businesses_changed.send(Business, business_ids=[business.pk])


@transaction.atomic
def add_business_photo(actor: User, business: Business, upload: UploadedFile) -> BusinessPhoto:
    """A photo of the business, re-encoded without its metadata (core.images)."""
    _touch(actor, business)
    photo = BusinessPhoto(business=business, uploaded_by=actor)
    images.save_photo(photo, upload)
    audit.record(actor, "business.photo_added", business, {"photo": (None, photo.image.name)})
    return photo


def set_owner_account(business: Business, account: User) -> None:
    """Give the business its owner's login (`account`, a user with the owner role).

    The portal's services decide when (an invitation, an accepted offer), check who may
    and write the audit entry in their own words; this runs in their transaction.
    """
    _bump(business, owner_account=account)
