from django import forms
from django.utils.translation import gettext_lazy as _

from naikkelas.catalog.models import ContactKind


class ListingForm(forms.Form):
    listed = forms.BooleanField(
        label=_("Show the products in the public catalogue"), required=False
    )
    contact_kind = forms.ChoiceField(
        label=_("Contact shown to buyers"), choices=ContactKind.choices
    )
    contact = forms.CharField(
        label=_("Public contact number"),
        required=False,
        max_length=20,
        help_text=_("Shown to everyone. Leave empty when no contact is shown."),
    )


class PhotoForm(forms.Form):
    # A FileField, not an ImageField: the content check lives in core.images, once.
    photo = forms.FileField(label=_("Photo"))
