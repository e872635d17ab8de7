"""A business owner's proposed correction or new figures, waiting for a curator.

Nothing in the registry changes until a curator approves; the approval applies the
proposal through the registry's services, so it is validated and audited like any edit.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeKind(models.TextChoices):
    CORRECTION = "correction", _("Correction of business details")
    FINANCIALS = "financials", _("New financial figures")


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a curator")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class ChangeRequest(models.Model):
    business = models.ForeignKey(
        "registry.Business", on_delete=models.CASCADE, related_name="change_requests"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ChangeKind.choices)
    # Field -> proposed value, in the registry services' input names (JSON-safe values).
    proposed = models.JSONField(_("proposed values"))
    message = models.TextField(_("message to the curator"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ChangeStatus.choices,
        default=ChangeStatus.PENDING,
        db_index=True,
    )
    decision_note = models.TextField(_("curator's note"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")

    def __str__(self) -> str:
        return f"{self.business_id} {self.kind} {self.status}"


class OfferStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the owner")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class LinkOffer(models.Model):
    """A curator's request to add a business to an owner account that already exists.

    An invitation to an e-mail that has an account must not hand out a password link for
    it (that would let whoever typed the e-mail take the account over): the account's
    owner sees the offer in their portal and links the business only by accepting it.
    """

    business = models.ForeignKey(
        "registry.Business", on_delete=models.CASCADE, related_name="link_offers"
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="link_offers"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=OfferStatus.choices, default=OfferStatus.PENDING
    )
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    offered_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-offered_at", "-id"]
        constraints = [
            # One open offer per business and account: inviting again does not pile up.
            models.UniqueConstraint(
                fields=["business", "account"],
                condition=models.Q(status="pending"),
                name="one_pending_link_offer",
            )
        ]

    def __str__(self) -> str:
        return f"{self.business_id} -> {self.account_id} {self.status}"
