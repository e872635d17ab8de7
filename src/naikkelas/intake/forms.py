from django import forms
from django.utils.translation import gettext_lazy as _

from naikkelas.intake.files import SIDT, TEMPLATE_FORMAT


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "SIDT CSV (also .csv.gz or a .zip with one CSV) or the import template (.xlsx)."
        ),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[
            ("", _("Recognise from the header row")),
            (SIDT, _("SIDT KUMKM (CSV)")),
            (TEMPLATE_FORMAT, _("Import template (.xlsx)")),
        ],
    )
