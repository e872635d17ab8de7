"""The parts of the business page that the apps above the registry render.

The registry cannot import the apps built on it, yet its business page shows what they
hold about a business: its class and readiness, its graduations, its programmes, the
merge that retired it. Each such app registers its panels in its AppConfig.ready, so
the panels of one place appear in the order of INSTALLED_APPS.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.core.exceptions import ImproperlyConfigured

from naikkelas.accounts.models import User
from naikkelas.registry.models import Business, FinancialRecord

# Under the status line; after the business's own details; after its legality
# documents, products and sales channels.
Place = Literal["top", "after_business", "after_details"]
# What a panel's template needs beyond the page's context, from the viewer, the business
# and the figures the page has already read (so that no panel reads them again).
PanelContext = Callable[[User, Business, Sequence[FinancialRecord]], Mapping[str, Any]]


@dataclass(frozen=True)
class Panel:
    place: Place
    template: str
    context: PanelContext | None = None


_PANELS: list[Panel] = []


def register(place: Place, template: str, context: PanelContext | None = None) -> None:
    _PANELS.append(Panel(place, template, context))


def add_to(page: dict[str, Any], user: User) -> None:
    """Put the panels on `page`, the registry's context holding `business` and
    `financials`: their templates by place, and what each one's context adds."""
    by_place: dict[str, list[str]] = {}
    for panel in _PANELS:
        by_place.setdefault(panel.place, []).append(panel.template)
        if panel.context is None:
            continue
        added = panel.context(user, page["business"], page["financials"])
        # A panel that replaced a name another part uses would break that part unseen.
        if clash := page.keys() & added.keys():
            raise ImproperlyConfigured(
                f"{panel.template} would replace {sorted(clash)} on the business page."
            )
        page.update(added)
    page["panels"] = by_place
