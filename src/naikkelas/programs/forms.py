from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from naikkelas.graduation.models import Criterion
from naikkelas.programs.models import (
    CAPACITY,
    Bank,
    CreditProduct,
    MilestoneKind,
    OrganiserKind,
    ProgrammeType,
    ReferralStatus,
    capacity_validator,
)
from naikkelas.registry.kbli import SECTOR_CHOICES
from naikkelas.registry.models import LegalityKind

DATE = forms.DateInput(attrs={"type": "date"})


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    type = forms.ChoiceField(label=_("Type"), choices=ProgrammeType.choices)
    organiser = forms.CharField(label=_("Organiser"), max_length=160)
    organiser_kind = forms.ChoiceField(label=_("Organiser is"), choices=OrganiserKind.choices)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)
    # The model's rule, so the form says what the service would (and the browser knows it).
    capacity = forms.IntegerField(
        label=_("Capacity"), validators=[capacity_validator],
        widget=forms.NumberInput(attrs={"min": CAPACITY.min}),
    )  # fmt: skip
    budget = forms.IntegerField(label=_("Budget (Rp)"), min_value=0, required=False)
    criteria = forms.MultipleChoiceField(
        label=_("Readiness criteria addressed"), choices=Criterion.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip


class CohortRuleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    size = forms.IntegerField(label=_("Number of businesses"), min_value=1, max_value=1000)
    quota_per_kecamatan = forms.IntegerField(
        label=_("At most per kecamatan"), min_value=1, required=False
    )
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", _("All sectors")), *SECTOR_CHOICES], required=False
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class BusinessPickForm(forms.Form):
    business = forms.IntegerField(label=_("Business ID"), min_value=1)
    reason = forms.CharField(label=_("Reason"), required=False)


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    title = forms.CharField(label=_("Topic"), max_length=160)


class ReferralForm(forms.Form):
    bank = forms.ModelChoiceField(label=_("Bank"), queryset=Bank.objects.filter(active=True))
    product = forms.ChoiceField(label=_("Credit product"), choices=CreditProduct.choices)
    amount_requested = forms.IntegerField(label=_("Amount requested (Rp)"))
    purpose = forms.CharField(label=_("Purpose"), required=False)
    owner_consent = forms.BooleanField(
        label=_("The owner agreed that the bank may see the NIK"), required=False
    )


def offer_banks(form: forms.Form, banks: Iterable[Bank]) -> None:
    """List `banks` in the form's bank field without the field's own query: a page that
    shows two bank fields reads the banks once."""
    field = form.fields["bank"]
    assert isinstance(field, forms.ModelChoiceField)
    field.choices = [
        ("", field.empty_label),
        *((bank.pk, field.label_from_instance(bank)) for bank in banks),
    ]


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Answer"),
        choices=[c for c in ReferralStatus.choices if c[0] != ReferralStatus.SENT],
    )
    amount = forms.IntegerField(label=_("Amount (Rp)"), required=False)
    note = forms.CharField(label=_("Note"), required=False)


class MilestoneForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What happened"),
        choices=[c for c in MilestoneKind.choices if c[0] != MilestoneKind.GRADUATION],
    )
    occurred_on = forms.DateField(label=_("Date"), widget=DATE)
    country = forms.CharField(label=_("Destination country"), required=False)
    product = forms.CharField(label=_("Product"), required=False)
    certification = forms.ChoiceField(
        label=_("Certificate"), choices=[("", "—"), *LegalityKind.choices], required=False
    )
    bank = forms.ModelChoiceField(label=_("Bank"), queryset=Bank.objects.all(), required=False)
    amount = forms.IntegerField(label=_("Amount (Rp)"), required=False)
    jobs = forms.IntegerField(label=_("Jobs created"), required=False)
    note = forms.CharField(label=_("Note"), required=False)

    def details(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("kind", "occurred_on")}
