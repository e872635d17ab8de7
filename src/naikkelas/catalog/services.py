"""Writes to the catalogue: the owner's listing consent and contact, product photos.

The owner decides both; a curator or the kelurahan's volunteer may record them on the
owner's behalf. Each write is audited on the business.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from naikkelas.accounts.models import Role, User
from naikkelas.catalog.models import ContactKind, Listing, ProductPhoto
from naikkelas.core import audit, images, pii, rules
from naikkelas.core.access import require
from naikkelas.core.errors import FieldErrors
from naikkelas.registry import identifiers
from naikkelas.registry.access import businesses_for
from naikkelas.registry.models import Business, Product

CONTACT_KIND = rules.Rule("invalid_choice", _("Choose how buyers may contact you."))


def may_list(actor: User, business: Business) -> bool:
    # The access layer decides what the actor sees; out of scope was a 404 before this.
    in_scope = businesses_for(actor).filter(pk=business.pk).exists()
    return in_scope and (actor.can_register or actor.role == Role.OWNER)


@transaction.atomic
def set_listing(
    actor: User, business: Business, *, listed: bool, contact_kind: str, contact: str = ""
) -> Listing:
    require(may_list(actor, business))
    if contact_kind not in ContactKind.values:
        raise FieldErrors({"contact_kind": [CONTACT_KIND.refuse()]})
    number = ""
    if contact_kind != ContactKind.NONE:
        try:
            number = identifiers.clean_phone(contact)
        except ValidationError as e:
            # The phone rule's own refusal, code and all (phone_format, phone_length…).
            raise FieldErrors({"contact": [e]}) from None
    listing, _created = Listing.objects.select_for_update().get_or_create(business=business)
    old_masked = pii.mask_phone(listing.contact)
    changes: dict[str, tuple[Any, Any]] = {}
    if listing.listed != listed:
        changes["listed"] = (listing.listed, listed)
    if listing.contact_kind != contact_kind:
        changes["contact_kind"] = (listing.contact_kind, contact_kind)
    if listing.contact != number:
        changes["contact"] = (old_masked or None, pii.mask_phone(number) or None)
    listing.listed, listing.contact_kind, listing.agreed_by = listed, contact_kind, actor
    listing.set_contact(number)
    listing.save()
    if changes:
        audit.record(actor, "business.listing_changed", business, changes)
    return listing


@transaction.atomic
def add_product_photo(actor: User, product: Product, upload: UploadedFile) -> ProductPhoto:
    require(may_list(actor, product.business))
    photo = ProductPhoto(product=product, uploaded_by=actor)
    images.save_photo(photo, upload)
    audit.record(
        actor, "business.product_photo_added", product.business, {"photo": (None, product.name)}
    )
    return photo
