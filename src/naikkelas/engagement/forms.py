import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from naikkelas.accounts.models import User
from naikkelas.engagement.models import Category, ComplaintStatus, Office, VisitKind
from naikkelas.programs.models import Bank, CreditProduct, Programme
from naikkelas.regions.models import Region
from naikkelas.registry.access import businesses_for, kelurahan_for
from naikkelas.registry.models import Business


class PositionFields(forms.Form):
    """Where the phone was, filled in by the page from the phone's location when allowed."""

    latitude = forms.DecimalField(
        label=_("Latitude"), max_digits=9, decimal_places=6, required=False,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )  # fmt: skip
    longitude = forms.DecimalField(
        label=_("Longitude"), max_digits=9, decimal_places=6, required=False,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )  # fmt: skip
    location_accuracy = forms.FloatField(
        label=_("Location accuracy (m)"), required=False,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )  # fmt: skip


class VisitForm(PositionFields):
    # Its own fields first; the position's (not named) follow them.
    field_order = ["kind", "held_on", "kelurahan", "place", "visitors", "businesses", "notes"]

    kind = forms.ChoiceField(label=_("Kind"), choices=VisitKind.choices)
    held_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
    kelurahan = forms.ModelChoiceField(label=_("Kelurahan"), queryset=Region.objects.none())
    place = forms.CharField(label=_("Place"), max_length=200)
    visitors = forms.CharField(
        label=_("Who visited"), max_length=255, help_text=_("e.g. Wali Kota, Diskopindag")
    )
    businesses = forms.CharField(
        label=_("Businesses visited"),
        required=False,
        help_text=_("Business numbers, separated by commas."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    photo = forms.FileField(label=_("Photo"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["kelurahan"].queryset = kelurahan_for(user).order_by("name")  # type: ignore[attr-defined]

    def clean_businesses(self) -> list[int]:
        """Business numbers (as shown on their pages) separated by commas or spaces."""
        text = self.cleaned_data.get("businesses") or ""
        try:
            return [int(part) for part in text.replace(",", " ").split()]
        except ValueError:
            raise forms.ValidationError(_("Enter business numbers only.")) from None

    def chosen_businesses(self) -> list[Business]:
        ids = self.cleaned_data.get("businesses") or []
        found = list(businesses_for(self.user).filter(pk__in=ids))
        if len(found) != len(set(ids)):
            self.add_error("businesses", _("A business number is unknown or outside your area."))
        return found


class ComplaintForm(PositionFields):
    field_order = ["category", "text", "business", "kelurahan"]

    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    text = forms.CharField(label=_("Complaint or need"), widget=forms.Textarea(attrs={"rows": 4}))
    business = forms.IntegerField(
        label=_("Business number"), required=False, help_text=_("When it concerns one business.")
    )
    kelurahan = forms.ModelChoiceField(
        label=_("Kelurahan"), queryset=Region.objects.none(), required=False
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["kelurahan"].queryset = kelurahan_for(user).order_by("name")  # type: ignore[attr-defined]

    def clean_business(self) -> Business | None:
        pk = self.cleaned_data.get("business")
        if pk is None:
            return None
        business = businesses_for(self.user).filter(pk=pk).first()
        if business is None:
            raise forms.ValidationError(_("No business with this number in your area."))
        return business


class AssignForm(forms.Form):
    office = forms.ModelChoiceField(label=_("Office"), queryset=Office.objects.all())
    due_on = forms.DateField(
        label=_("Due date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=lambda: timezone.localdate() + datetime.timedelta(days=14),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ComplaintStatus.choices)
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))


class EnrolmentForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())

    def __init__(self, *args: Any, programmes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]


class ReferralForm(forms.Form):
    bank = forms.ModelChoiceField(label=_("Bank"), queryset=Bank.objects.filter(active=True))
    product = forms.ChoiceField(label=_("Credit product"), choices=CreditProduct.choices)
    amount = forms.IntegerField(label=_("Amount (Rp)"), min_value=1)
    owner_consent = forms.BooleanField(
        label=_("The owner agreed to share the NIK with the bank"), required=False
    )


class ComplaintFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *ComplaintStatus.choices]
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All")), *Category.choices]
    )
    office = forms.ModelChoiceField(
        label=_("Office"), required=False, queryset=Office.objects.all(), empty_label=_("All")
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
