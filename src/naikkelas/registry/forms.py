"""Web forms parse text into typed values; the rules live in registry.services.validate."""

import copy
import uuid
from dataclasses import replace
from typing import Any

from django import forms
from django.db import models
from django.db.models import QuerySet
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from naikkelas.accounts.models import User
from naikkelas.core.errors import FieldErrors
from naikkelas.core.web import show_on_form
from naikkelas.regions.models import Region
from naikkelas.registry.access import kelurahan_for
from naikkelas.registry.filters import BusinessFilter
from naikkelas.registry.kbli import SECTOR_CHOICES
from naikkelas.registry.models import (
    Basis,
    Business,
    FinancialRecord,
    LegalityDocument,
    Owner,
    Product,
    SalesChannel,
    SizeClass,
    Status,
)
from naikkelas.registry.services import BUSINESS_FIELDS, validate


def _formfield(field: "models.Field[Any, Any]") -> forms.Field:
    kwargs: dict[str, Any] = (
        {"assume_scheme": "https"} if isinstance(field, models.URLField) else {}
    )
    formfield = field.formfield(**kwargs)
    assert formfield is not None
    return formfield


_BUSINESS = fields_for_model(Business, fields=BUSINESS_FIELDS, formfield_callback=_formfield)
_OWNER = fields_for_model(
    Owner,
    fields=["name", "gender", "has_disability", "birth_date", "education", "street", "rt", "rw"],
)
_NUMERIC = {"inputmode": "numeric", "autocomplete": "off"}


class BusinessForm(forms.Form):
    """Create and edit a business with its owner; `version` guards against stale edits."""

    FIELDSETS = (
        (_("Business"), ("name", "main_activity", "main_product", "kbli", "legal_form", "nib",
                         "start_month", "start_year", "reported_size_class", "founding_capital",
                         "sentra", "exports", "export_destinations", "photo_url")),
        (_("Owner"), ("owner_name", "nik", "phone", "gender", "has_disability", "birth_date",
                      "education", "owner_kelurahan", "owner_street", "owner_rt", "owner_rw")),
        (_("Business address"), ("kelurahan", "rw", "rt", "street", "latitude", "longitude",
                                  "location_accuracy")),
        (_("Workforce"), ("paid_male", "paid_female", "paid_disabled_male", "paid_disabled_female",
                          "unpaid_male", "unpaid_female", "unpaid_disabled_male",
                          "unpaid_disabled_female")),
    )  # fmt: skip

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Shown with the duplicate warning only; ticked, it lets the record be saved anyway.
    not_a_duplicate = forms.BooleanField(
        label=_("I have checked: this is a different business"), required=False
    )

    def __init__(self, *args: Any, user: User, business: Business | None = None, **kwargs: Any):
        if business is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_for(business)
        super().__init__(*args, **kwargs)
        self.fields.update(copy.deepcopy(_BUSINESS))
        for name, field in copy.deepcopy(_OWNER).items():
            self.fields[
                name
                if name in ("gender", "has_disability", "birth_date", "education")
                else f"owner_{name}"
            ] = field
        self.fields["nik"] = forms.CharField(
            label=_("NIK"),
            max_length=20,
            required=False,
            widget=forms.TextInput(attrs=_NUMERIC),
            help_text=_("16 digits. Leave empty to keep the stored NIK.")
            if business
            else _("16 digits."),
        )
        self.fields["phone"] = forms.CharField(
            label=_("Phone number"),
            max_length=24,
            required=False,
            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            help_text=_("e.g. 0812-3456-7890. Leave empty to keep the stored number.")
            if business
            else _("e.g. 0812-3456-7890"),
        )
        villages = kelurahan_for(user)
        self.fields["kelurahan"] = forms.ModelChoiceField(
            villages, label=_("kelurahan"), empty_label=_("— choose —")
        )
        if villages.count() == 1 and business is None:
            self.initial.setdefault("kelurahan", villages.first())
        self.fields["owner_kelurahan"] = forms.ModelChoiceField(
            Region.objects.home().kelurahan(),
            required=False,
            label=_("home kelurahan"),
            help_text=_("Leave empty when the owner lives outside the city."),
        )
        for name in (
            "nib",
            "kbli",
            "rt",
            "rw",
            "owner_rt",
            "owner_rw",
            "start_year",
            "start_month",
        ):
            self.fields[name].widget.attrs.update(_NUMERIC)
        for name in ("latitude", "longitude", "location_accuracy"):
            self.fields[name].widget.attrs.update({"step": "any", "inputmode": "decimal"})
        self.fields["birth_date"].widget = forms.DateInput(attrs={"type": "date"})
        if business is None:
            # One key per opened form: sent twice, it registers one business.
            self.fields["submission"] = forms.UUIDField(
                widget=forms.HiddenInput, required=False, initial=uuid.uuid4
            )

    def fieldsets(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(str(title), [self[name] for name in names]) for title, names in self.FIELDSETS]

    def check_rules(self, user: User, business: Business | None) -> None:
        """After a parse error, also report the rule errors of the fields that did parse,
        so the volunteer fixes everything in one round on a slow connection."""
        parsed = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        try:
            validate(user, self.service_data_from(parsed), business=business)
        except FieldErrors as e:
            show_on_form(
                self, FieldErrors({k: v for k, v in e.errors.items() if k not in self.errors})
            )

    def service_data(self) -> dict[str, Any]:
        return self.service_data_from(self.cleaned_data)

    @staticmethod
    def service_data_from(cleaned: dict[str, Any]) -> dict[str, Any]:
        data = dict(cleaned)
        data.pop("version", None)
        data.pop("not_a_duplicate", None)
        data.pop("submission", None)
        for name in ("nik", "phone"):
            # Blank means "keep what is stored" on edit; on create it means "unknown".
            if not data.get(name):
                data.pop(name, None)
        return data


class DuplicateCheckForm(forms.Form):
    """The entry form's fields that the duplicate warning reads while the volunteer types.

    NIK and phone are left to the full submission: a GET query would put them in the
    access logs.
    """

    name = forms.CharField(required=False, max_length=200)
    owner_name = forms.CharField(required=False, max_length=150)
    nib = forms.CharField(required=False, max_length=20)
    kelurahan = forms.ModelChoiceField(Region.objects.none(), required=False)
    # The record being edited, which must not be reported as its own duplicate.
    business = forms.IntegerField(required=False)
    not_a_duplicate = BusinessForm.base_fields["not_a_duplicate"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kelurahan"].queryset = kelurahan_for(user)  # type: ignore[attr-defined]


def initial_for(business: Business) -> dict[str, Any]:
    owner = business.owner
    initial: dict[str, Any] = {f: getattr(business, f) for f in BUSINESS_FIELDS}
    initial.update(
        owner_name=owner.name,
        gender=owner.gender,
        has_disability=owner.has_disability,
        birth_date=owner.birth_date,
        education=owner.education,
        owner_kelurahan=owner.kelurahan_id,
        owner_street=owner.street,
        owner_rt=owner.rt,
        owner_rw=owner.rw,
        version=business.version,
    )
    return initial


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class FinancialForm(forms.ModelForm):
    correct = forms.BooleanField(
        label=_("Correction"),
        required=False,
        help_text=_("Replace the figures already recorded for this year and basis."),
    )

    class Meta:
        model = FinancialRecord
        fields = ["year", "basis", "annual_sales", "capital", "assets", "evidence"]
        widgets = {"evidence": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not user.can_curate:
            # Only curators can vouch for figures; others record what the owner reports.
            basis = self.fields["basis"]
            assert isinstance(basis, forms.ChoiceField)
            basis.choices = [(Basis.REPORTED.value, Basis.REPORTED.label)]

    def validate_unique(self) -> None:
        """The service replaces a year's figures rather than refusing a second entry."""


class LegalityForm(forms.ModelForm):
    class Meta:
        model = LegalityDocument
        fields = ["kind", "number", "issued_on", "expires_on"]
        widgets = {
            "issued_on": forms.DateInput(attrs={"type": "date"}),
            "expires_on": forms.DateInput(attrs={"type": "date"}),
        }


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = ["name", "description", "price"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class ChannelForm(forms.ModelForm):
    class Meta:
        model = SalesChannel
        fields = ["kind", "name", "address"]


DETAIL_FORMS: dict[str, type[forms.ModelForm]] = {
    "legality": LegalityForm,
    "product": ProductForm,
    "channel": ChannelForm,
}


class AreaFilterForm(forms.Form):
    """Kecamatan, kelurahan and sector filters limited to the user's scope."""

    kecamatan = forms.ModelChoiceField(Region.objects.none(), required=False, label=_("kecamatan"))
    kelurahan = forms.ModelChoiceField(Region.objects.none(), required=False, label=_("kelurahan"))
    sector = forms.ChoiceField(required=False, label=_("sector"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        villages = kelurahan_for(user)
        self.fields["kelurahan"].queryset = villages  # type: ignore[attr-defined]
        self.fields["kecamatan"].queryset = Region.objects.filter(  # type: ignore[attr-defined]
            code__in={v.kecamatan_code for v in villages}
        )
        sector = self.fields["sector"]
        assert isinstance(sector, forms.ChoiceField)
        sector.choices = [("", _("All sectors")), *SECTOR_CHOICES]

    def business_filter(self) -> BusinessFilter:
        """The filter the inputs ask for; none at all while any input is invalid."""
        if not self.is_valid():
            return BusinessFilter()
        data = self.cleaned_data
        return BusinessFilter(
            kecamatan=data["kecamatan"].code if data["kecamatan"] else "",
            kelurahan=data["kelurahan"].code if data["kelurahan"] else "",
            sector=data["sector"],
        )

    def apply(self, businesses: QuerySet[Business]) -> QuerySet[Business]:
        """Narrow an already scoped queryset by the valid filters."""
        return self.business_filter().apply(businesses)


class BusinessFilterForm(AreaFilterForm):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Business name or NIB"), "type": "search"}),
    )
    status = forms.ChoiceField(
        choices=[("", _("All statuses")), *Status.choices], required=False, label=_("status")
    )
    reported_size_class = forms.ChoiceField(required=False, label=_("reported class"))
    field_order = ["q", "kecamatan", "kelurahan", "status", "sector", "reported_size_class"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        size = self.fields["reported_size_class"]
        assert isinstance(size, forms.ChoiceField)
        size.choices = [("", _("All classes")), *SizeClass.choices]

    def business_filter(self) -> BusinessFilter:
        area = super().business_filter()
        if not self.is_valid():
            return area
        data = self.cleaned_data
        return replace(
            area,
            q=data["q"],
            status=data["status"],
            reported_size_class=data["reported_size_class"],
        )
