import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from naikkelas.monitoring.dashboard import MAP_METRICS, Place, column_label
from naikkelas.monitoring.models import Indicator
from naikkelas.regions.models import Region


def parse_month(text: str) -> datetime.date:
    """ "2025-06" (what an `<input type=month>` sends) as 1 June 2025; ValueError else."""
    year, month = text.strip().split("-")
    if len(year) != 4 or len(month) != 2:
        raise ValueError(text)
    return datetime.date(int(year), int(month), 1)


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2025-06"})

    def to_python(self, value: Any) -> datetime.date | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_month(text)
        except ValueError:
            raise forms.ValidationError(
                _("“%(value)s” is not a month; write it as 2025-06."), params={"value": text}
            ) from None


class DashboardFilterForm(forms.Form):
    """The dashboard's filters. A filter that makes no sense is reported and left out;
    the page still shows everything else."""

    wilayah = forms.CharField(required=False, label=_l("kecamatan or kelurahan code"))
    dari = MonthField(required=False, label=_l("from month"))
    sampai = MonthField(required=False, label=_l("to month"))
    peta = forms.ChoiceField(required=False, label=_l("map shows"))

    def __init__(self, *args: Any, places: dict[str, Place], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.places = places
        self.fields["peta"].choices = [(m, column_label(m)) for m in MAP_METRICS]  # type: ignore[attr-defined]

    def clean_wilayah(self) -> str:
        code = self.cleaned_data["wilayah"].strip().rstrip(".")
        if code and code not in self.places:
            raise forms.ValidationError(
                _("There is no kecamatan or kelurahan with code “%(code)s” in this city."),
                params={"code": code},
            )
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("dari"), data.get("sampai")
        if start and end and end < start:
            self.add_error("sampai", _("The period ends before it starts."))
        return data

    def value(self, name: str, default: Any = "") -> Any:
        """The field's clean value, or the default when it was missing or refused."""
        if not self.is_bound or (not self.is_valid() and name in self.errors):
            return default
        return self.cleaned_data.get(name) or default

    def problems(self) -> list[str]:
        if not self.is_bound:
            return []
        self.is_valid()
        return [str(m) for messages in self.errors.values() for m in messages]


class TargetForm(forms.Form):
    indicator = forms.ChoiceField(label=_l("indicator"), choices=Indicator.choices)
    starts_on = MonthField(label=_l("from month"))
    ends_on = MonthField(label=_l("to month"))
    region = forms.CharField(
        label=_l("region"),
        required=False,
        help_text=_l("A kecamatan or kelurahan code, e.g. 35.73.01; empty for the whole city."),
    )
    value = forms.IntegerField(label=_l("target value"))
    note = forms.CharField(label=_l("source or note"), required=False, max_length=255)

    def clean_region(self) -> Region | None:
        code = self.cleaned_data["region"].strip().rstrip(".")
        if not code:
            return None
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise forms.ValidationError(_("Unknown region code."))
        # Whether it is inside the city is the service's rule.
        return region


class ReportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_l("report"),
        choices=[("monthly", _l("Monthly")), ("quarterly", _l("Quarterly"))],
    )
    month = MonthField(label=_l("month (the quarter that holds it, for a quarterly report)"))
    file_format = forms.ChoiceField(label=_l("format"), choices=[("pdf", "PDF"), ("xlsx", "Excel")])
