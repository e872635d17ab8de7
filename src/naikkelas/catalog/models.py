"""What the public catalogue may show: the owner's consent, the contact the owner chose,
and product photos. Everything else about a business stays in the registry."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from naikkelas.core import pii
from naikkelas.core.models import Photo


class ContactKind(models.TextChoices):
    NONE = "none", _("No contact shown")
    WHATSAPP = "whatsapp", _("WhatsApp")
    PHONE = "phone", _("Phone")


class Listing(models.Model):
    """The owner's agreement to be listed in the public catalogue (Malpro)."""

    business = models.OneToOneField(
        "registry.Business", on_delete=models.CASCADE, related_name="listing"
    )
    listed = models.BooleanField(_("show my products in the public catalogue"), default=False)
    contact_kind = models.CharField(
        _("contact shown to buyers"),
        max_length=8,
        choices=ContactKind.choices,
        default=ContactKind.NONE,
    )
    # The number the owner marked public. Still personal data, so it is encrypted at rest
    # like the owner's private phone and decrypted only to render the contact button.
    contact_encrypted = models.TextField(blank=True, editable=False)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("catalogue listing")
        verbose_name_plural = _("catalogue listings")

    def __str__(self) -> str:
        return f"{self.business_id} {'listed' if self.listed else 'not listed'}"

    def set_contact(self, e164: str) -> None:
        self.contact_encrypted = pii.encrypt(e164)

    @property
    def contact(self) -> str:
        return pii.decrypt(self.contact_encrypted)

    @property
    def contact_link(self) -> str:
        """A wa.me or tel: link for the button; empty when the owner chose none."""
        number = self.contact
        if not number or self.contact_kind == ContactKind.NONE:
            return ""
        if self.contact_kind == ContactKind.WHATSAPP:
            return "https://wa.me/" + number.lstrip("+")
        return "tel:" + number


class ProductPhoto(Photo):
    folder = "katalog"
    folder_key = "product_id"

    product = models.ForeignKey("registry.Product", on_delete=models.CASCADE, related_name="photos")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(Photo.Meta):
        verbose_name = _("product photo")
        verbose_name_plural = _("product photos")
