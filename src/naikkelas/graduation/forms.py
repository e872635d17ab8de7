from django import forms

from naikkelas.graduation.models import Assessment

_SCORE = forms.Select(choices=[("", "—"), *[(n, str(n)) for n in range(1, 6)]])


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = [
            "assessed_on",
            "product_quality",
            "packaging",
            "branding",
            "distribution",
            "notes",
        ]
        widgets = {
            "assessed_on": forms.DateInput(attrs={"type": "date"}),
            "product_quality": _SCORE,
            "packaging": _SCORE,
            "branding": _SCORE,
            "distribution": _SCORE,
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
