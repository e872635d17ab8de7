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
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from naikkelas.accounts.models import Role, User
from naikkelas.core import audit, rules
from naikkelas.core.access import require
from naikkelas.core.errors import DomainError, FieldErrors, InvalidTransition
from naikkelas.portal.models import (
    ChangeKind,
    ChangeRequest,
    ChangeStatus,
    LinkOffer,
    OfferStatus,
)
from naikkelas.registry import services as registry
from naikkelas.registry.access import businesses_for
from naikkelas.registry.models import Basis, Business

# What an owner may propose to correct. Identifiers, the address's kelurahan and personal
# data are left to a curator's own edit, with the owner's papers in hand.
CORRECTABLE = (
    "name", "main_activity", "main_product", "street", "rw", "rt", "start_year",
    "exports", "export_destinations",
)  # fmt: skip
FIGURES = registry.FIGURES


CURATORS_ONLY = gettext_lazy("Only curators may do this.")

# The refusals of invitations and change requests, each with its stable code.
EMAIL_FORMAT = rules.Rule("email_format", gettext_lazy("Enter a valid email address."))
EMAIL_OF_STAFF = rules.Rule(
    "email_of_staff", gettext_lazy("This e-mail belongs to a staff account.")
)
EMAIL_NEEDED = rules.Rule(
    "required", gettext_lazy("This business has no NIB: give the owner's e-mail to sign in with.")
)
NOTHING_CHANGED = rules.Rule(
    "nothing_changed", gettext_lazy("Nothing differs from what is recorded.")
)
CHANGE_KIND = rules.Rule("invalid_choice", gettext_lazy("Unknown kind of change."))
RETURN_NOTE = rules.Rule("required", gettext_lazy("Tell the owner why."))


def curates(actor: User, business: Business) -> bool:
    return actor.can_curate and businesses_for(actor).filter(pk=business.pk).exists()


def _owns(actor: User, business: Business) -> bool:
    return actor.role == Role.OWNER and businesses_for(actor).filter(pk=business.pk).exists()


def invitation_path(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("portal_invitation", args=[uid, default_token_generator.make_token(user)])


def _account_with_email(email: str, *, other_than: User | None) -> User | None:
    """Another account that signs in with this e-mail (any case), refused if it is staff's."""
    if not email:
        return None
    accounts = User.objects.filter(email__iexact=email)
    if other_than is not None:
        accounts = accounts.exclude(pk=other_than.pk)
    holder = accounts.order_by("pk").first()
    if holder is not None and holder.role != Role.OWNER:
        raise FieldErrors({"email": [EMAIL_OF_STAFF.refuse()]})
    return holder


def _offer_link(actor: User, business: Business, account: User) -> LinkOffer:
    offer, created = LinkOffer.objects.get_or_create(
        business=business, account=account, status=OfferStatus.PENDING,
        defaults={"offered_by": actor},
    )  # fmt: skip
    if created:
        audit.record(actor, "business.owner_link_offered", business, {}, f"account {account.pk}")
    return offer


@transaction.atomic
def invite_owner(actor: User, business: Business, email: str = "") -> tuple[User, str]:
    """Create (or re-invite) the owner's account; return it and the invitation link's path.

    When the e-mail already belongs to another owner account, nothing is linked and no
    password link is made: the account is offered the business (`answer_offer`) and the
    path is empty.
    """
    require(curates(actor, business), CURATORS_ONLY)
    email = (email or "").strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            # Django's validator answers the generic "invalid": the same message, coded.
            raise FieldErrors({"email": [EMAIL_FORMAT.refuse()]}) from None
    elif not business.nib:
        raise FieldErrors({"email": [EMAIL_NEEDED.refuse()]})
    user = business.owner_account
    if user is not None and user.has_usable_password():
        raise DomainError(
            _("The owner already has an account and has set a password."), code="already_invited"
        )
    holder = _account_with_email(email, other_than=user)
    if holder is not None:
        _offer_link(actor, business, holder)
        return holder, ""
    if user is None:
        user = User(username=f"pemilik-{business.pk}", role=Role.OWNER, email=email)
        user.first_name = business.owner.name[:150]
        user.set_unusable_password()
        user.save()
    elif email and user.email != email:
        user.email = email
        user.save(update_fields=["email"])
    registry.set_owner_account(business, user)
    audit.record(
        actor, "business.owner_invited", business, {"owner_account": (None, user.username)}
    )
    return user, invitation_path(user)


def _clean_figures(data: Mapping[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {"year": data.get("year"), **{f: data.get(f) for f in FIGURES}}
    not_whole = {f for f in FIGURES if clean[f] is not None and not isinstance(clean[f], int)}
    errors: dict[str, list[ValidationError]] = {
        f: [ValidationError(_("Enter a whole number of rupiah."), code="amount_not_number")]
        for f in not_whole
    }
    whole = {f: v for f, v in registry.present_figures(clean).items() if f not in not_whole}
    errors |= rules.broken({"year": clean["year"], **whole}, registry.FIGURE_RULES)
    if all(clean[f] is None for f in FIGURES):
        errors["annual_sales"] = [ValidationError(_("Give at least one figure."), code="required")]
    if errors:
        raise FieldErrors(errors)
    return clean


@transaction.atomic
def propose(
    actor: User, business: Business, kind: str, data: Mapping[str, Any], message: str = ""
) -> ChangeRequest:
    """Store the owner's proposal; the registry is not touched."""
    require(_owns(actor, business), _("Only the business's owner may do this."))
    if kind == ChangeKind.CORRECTION:
        wanted = {k: data[k] for k in CORRECTABLE if k in data}
        registry.validate(actor, wanted, business=business)
        proposed = {k: v for k, v in wanted.items() if getattr(business, k) != v}
        if not proposed:
            raise FieldErrors({"__all__": [NOTHING_CHANGED.refuse()]})
    elif kind == ChangeKind.FINANCIALS:
        proposed = _clean_figures(data)
    else:
        raise FieldErrors({"kind": [CHANGE_KIND.refuse()]})
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
def approve(actor: User, request: ChangeRequest, note: str = "") -> ChangeRequest:
    """Apply the proposal through the registry's services (validated, audited there too)."""
    require(curates(actor, request.business), CURATORS_ONLY)
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
def return_request(actor: User, request: ChangeRequest, note: str) -> ChangeRequest:
    require(curates(actor, request.business), CURATORS_ONLY)
    note = (note or "").strip()
    if not note:
        raise FieldErrors({"note": [RETURN_NOTE.refuse()]})
    current = _pending(request)
    current.status, current.decided_by, current.decided_at, current.decision_note = (
        ChangeStatus.RETURNED, actor, timezone.now(), note,
    )  # fmt: skip
    current.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit.record(actor, "change_request.returned", current, note=note)
    return current


@transaction.atomic
def answer_offer(actor: User, offer: LinkOffer, *, accept: bool) -> LinkOffer:
    """The account's owner accepts (the business is linked to them) or declines an offer."""
    require(offer.account_id == actor.pk, _("Only the owner of that account may answer."))
    current = LinkOffer.objects.select_for_update().select_related("business").get(pk=offer.pk)
    if current.status != OfferStatus.PENDING:
        raise InvalidTransition(_("This offer has already been answered."))
    current.status = OfferStatus.ACCEPTED if accept else OfferStatus.DECLINED
    current.answered_at = timezone.now()
    current.save(update_fields=["status", "answered_at"])
    business = current.business
    if not accept:
        audit.record(actor, "business.owner_link_declined", business, {})
        return current
    previous = business.owner_account
    registry.set_owner_account(business, actor)
    # An account an earlier invitation made for this business alone, never used, goes.
    if (
        previous is not None
        and not previous.has_usable_password()
        and not Business.objects.filter(owner_account=previous).exists()
    ):
        previous.delete()
    audit.record(
        actor, "business.owner_account_linked", business,
        {"owner_account": (previous.username if previous else None, actor.username)},
    )  # fmt: skip
    return current
