"""Owner accounts and owners' change requests. Every write of the portal goes through here.

A curator invites an owner: the account is created without a usable password and the
curator hands over a one-time link (Django's password-reset token: it stops working once
the password is set, and after PASSWORD_RESET_TIMEOUT). An owner's change request is
stored as a proposal; only `approve` applies it, through the registry's services.
"""

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from naikkelas.accounts.models import Role, User
from naikkelas.core import audit
from naikkelas.core.errors import DomainError, FieldErrors, Forbidden, InvalidTransition
from naikkelas.portal.models import ChangeKind, ChangeRequest, ChangeStatus
from naikkelas.registry import services as registry
from naikkelas.registry.access import businesses_for
from naikkelas.registry.models import Basis, Business

# What an owner may propose to correct. Identifiers, the address's kelurahan and personal
# data are left to a curator's own edit, with the owner's papers in hand.
CORRECTABLE = (
    "name", "main_activity", "main_product", "street", "rw", "rt", "start_year",
    "exports", "export_destinations",
)  # fmt: skip
FIGURES = ("annual_sales", "capital", "assets")


def require_curator(actor: Any, business: Business) -> None:
    if not (actor.can_curate and businesses_for(actor).filter(pk=business.pk).exists()):
        raise Forbidden(_("Only curators may do this."))


def _require_owner(actor: Any, business: Business) -> None:
    if not (
        actor.is_authenticated
        and actor.role == Role.OWNER
        and businesses_for(actor).filter(pk=business.pk).exists()
    ):
        raise Forbidden(_("Only the business's owner may do this."))


def invitation_path(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("portal_invitation", args=[uid, default_token_generator.make_token(user)])


@transaction.atomic
def invite_owner(actor: Any, business: Business, email: str = "") -> tuple[User, str]:
    """Create (or re-invite) the owner's account; return it and the invitation link's path."""
    require_curator(actor, business)
    email = (email or "").strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError as e:
            raise FieldErrors({"email": e.messages}) from None
    elif not business.nib:
        raise FieldErrors(
            {"email": [_("This business has no NIB: give the owner's e-mail to sign in with.")]}
        )
    user = business.owner_account
    if user is not None and user.has_usable_password():
        raise DomainError(
            _("The owner already has an account and has set a password."), code="already_invited"
        )
    if user is None:
        user = User.objects.filter(email=email, role=Role.OWNER).first() if email else None
    if user is None:
        user = User(username=f"pemilik-{business.pk}", role=Role.OWNER, email=email)
        user.first_name = business.owner.name[:150]
        user.set_unusable_password()
        user.save()
    elif email and user.email != email:
        user.email = email
        user.save(update_fields=["email"])
    Business.objects.filter(pk=business.pk).update(
        owner_account=user, version=F("version") + 1, updated_at=timezone.now()
    )
    audit.record(
        actor, "business.owner_invited", business, {"owner_account": (None, user.username)}
    )
    return user, invitation_path(user)


def _clean_figures(data: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    this_year = timezone.localdate().year
    year = data.get("year")
    if not isinstance(year, int) or not 1900 <= year <= this_year:
        errors["year"] = [_("Enter a year from 1900 to %(year)s.") % {"year": this_year}]
    clean: dict[str, Any] = {"year": year}
    for field in FIGURES:
        value = data.get(field)
        if value is not None and (not isinstance(value, int) or value < 0):
            errors[field] = [_("Amounts cannot be negative.")]
        clean[field] = value
    if all(clean[f] is None for f in FIGURES):
        errors["annual_sales"] = [_("Give at least one figure.")]
    if errors:
        raise FieldErrors(errors)
    return clean


@transaction.atomic
def propose(
    actor: Any, business: Business, kind: str, data: Mapping[str, Any], message: str = ""
) -> ChangeRequest:
    """Store the owner's proposal; the registry is not touched."""
    _require_owner(actor, business)
    if kind == ChangeKind.CORRECTION:
        wanted = {k: data[k] for k in CORRECTABLE if k in data}
        registry.validate(actor, wanted, business=business)
        proposed = {k: v for k, v in wanted.items() if getattr(business, k) != v}
        if not proposed:
            raise FieldErrors({"__all__": [_("Nothing differs from what is recorded.")]})
    elif kind == ChangeKind.FINANCIALS:
        proposed = _clean_figures(data)
    else:
        raise FieldErrors({"kind": [_("Unknown kind of change.")]})
    request = ChangeRequest.objects.create(
        business=business, kind=kind, proposed=proposed, message=(message or "").strip(),
        requested_by=actor,
    )  # fmt: skip
    audit.record(
        actor, "change_request.proposed", request, {k: (None, v) for k, v in proposed.items()}
    )
    return request


def _pending(request: ChangeRequest) -> ChangeRequest:
    current = ChangeRequest.objects.select_for_update().get(pk=request.pk)
    if current.status != ChangeStatus.PENDING:
        raise InvalidTransition(_("This request has already been decided."))
    return current


@transaction.atomic
def approve(actor: Any, request: ChangeRequest, note: str = "") -> ChangeRequest:
    """Apply the proposal through the registry's services (validated, audited there too)."""
    require_curator(actor, request.business)
    current = _pending(request)
    business = Business.objects.get(pk=current.business_id)
    if current.kind == ChangeKind.CORRECTION:
        registry.update_business(
            actor, business, current.proposed, expected_version=business.version
        )
    else:
        figures = current.proposed
        exists = business.financials.filter(year=figures["year"], basis=Basis.REPORTED).exists()
        registry.save_financial_record(
            actor,
            business,
            {
                **figures,
                "basis": Basis.REPORTED,
                "evidence": _("Owner's change request #%(id)s") % {"id": current.pk},
            },
            correct=exists,
        )
    current.status, current.decided_by, current.decided_at = (
        ChangeStatus.APPROVED, actor, timezone.now(),
    )  # fmt: skip
    current.decision_note = (note or "").strip()
    current.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit.record(actor, "change_request.approved", current, note=current.decision_note)
    return current


@transaction.atomic
def return_request(actor: Any, request: ChangeRequest, note: str) -> ChangeRequest:
    require_curator(actor, request.business)
    note = (note or "").strip()
    if not note:
        raise FieldErrors({"note": [_("Tell the owner why.")]})
    current = _pending(request)
    current.status, current.decided_by, current.decided_at, current.decision_note = (
        ChangeStatus.RETURNED, actor, timezone.now(), note,
    )  # fmt: skip
    current.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit.record(actor, "change_request.returned", current, note=note)
    return current
