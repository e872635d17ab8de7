from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementConfig(AppConfig):
    name = "naikkelas.engagement"
    label = "engagement"
    verbose_name = _("Field visits and voices")
