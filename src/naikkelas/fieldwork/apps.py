from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldworkConfig(AppConfig):
    name = "naikkelas.fieldwork"
    label = "fieldwork"
    verbose_name = _("Offline field app")
