from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def check_personal_data_keys(app_configs: Any, **kwargs: Any) -> list[Error]:
    errors = []
    for name in ("NAIKKELAS_PII_KEY", "NAIKKELAS_INDEX_KEY"):
        value = getattr(settings, name)
        if not value:
            errors.append(
                Error(
                    f"{name} is not set.",
                    hint="Generate one with `naikkelas genkey`.",
                    id="naikkelas.E001",
                )
            )
        elif value == settings.SECRET_KEY:
            errors.append(Error(f"{name} must differ from SECRET_KEY.", id="naikkelas.E002"))
    return errors
