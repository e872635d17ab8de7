from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Owner's e-mail"),
        required=False,
        help_text=_("Optional when the business has a NIB: the owner may sign in with it."),
    )


class CorrectionForm(forms.Form):
    name = forms.CharField(label=_("Business name"), max_length=200)
    main_activity = forms.CharField(label=_("Main activity"), max_length=255, required=False)
    main_product = forms.CharField(label=_("Main product"), max_length=255, required=False)
    street = forms.CharField(label=_("Street address"), max_length=255, required=False)
    rw = forms.IntegerField(label=_("RW"), required=False, min_value=0)
    rt = forms.IntegerField(label=_("RT"), required=False, min_value=0)
    start_year = forms.IntegerField(label=_("Start year"), required=False)
    exports = forms.BooleanField(label=_("Exports"), required=False)
    export_destinations = forms.CharField(
        label=_("Export destinations"), max_length=255, required=False
    )
    message = forms.CharField(
        label=_("Message to the curator"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class FiguresForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), initial=lambda: timezone.localdate().year - 1)
    annual_sales = forms.IntegerField(label=_("Annual sales (Rp)"), required=False, min_value=0)
    capital = forms.IntegerField(
        label=_("Capital excluding land and buildings (Rp)"), required=False, min_value=0
    )
    assets = forms.IntegerField(label=_("Assets (Rp)"), required=False, min_value=0)
    message = forms.CharField(
        label=_("Message to the curator"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
