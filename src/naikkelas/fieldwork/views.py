"""The volunteer's installable offline app: its manifest, its service worker and the
shells of its pages.

The pages are shells: the server renders the form and the words once, in the user's
language; the data (the businesses, the outbox) lives in the phone's IndexedDB and the
JavaScript (`static/fieldwork/`) fills it in and sends it through the API. So a shell the
service worker kept opens with no connection.
"""

import hashlib
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.db.models import DateField, Field, IntegerField, Model, TextField
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from naikkelas.accounts.http import AuthenticatedRequest
from naikkelas.core.access import require
from naikkelas.engagement.models import Complaint, Visit
from naikkelas.fieldwork.strings import strings
from naikkelas.registry.access import kelurahan_for
from naikkelas.registry.models import Business, FinancialRecord, LegalityDocument, Owner, Product

# The pages of the app: URL name, template.
PAGES = {
    "field_home": "fieldwork/home.html",
    "field_register": "fieldwork/business_form.html",
    "field_edit": "fieldwork/business_form.html",
    "field_visit": "fieldwork/visit_form.html",
    "field_complaint": "fieldwork/complaint_form.html",
}
# What the service worker keeps for offline use, besides the pages.
ASSETS = (
    "naikkelas/app.css",
    "naikkelas/icon.svg",
    "django_htmx/htmx-2.min.js",
    "fieldwork/app.css",
    "fieldwork/store.js",
    "fieldwork/sync.js",
    "fieldwork/app.js",
    "fieldwork/guard.js",
    "fieldwork/icon-192.png",
    "fieldwork/icon-512.png",
)


def _input(model: type[Model], name: str, key: str = "", **attrs: Any) -> dict[str, Any]:
    """One input of a shell, labelled and typed from the model field it fills (so its
    label is the one the rest of the site shows, already translated). `key` is the
    input's name where it differs from the field's: the API's (`owner_name`), or the
    field's prefixed with the item it goes into (`product.name`, sent after the business)."""
    field = model._meta.get_field(name)
    assert isinstance(field, Field)
    spec: dict[str, Any] = {"name": key or name, "label": field.verbose_name, **attrs}
    if field.choices:
        spec["choices"] = field.choices
    elif isinstance(field, IntegerField):
        spec.setdefault("type", "number")
    elif isinstance(field, DateField):
        spec.setdefault("type", "date")
    elif isinstance(field, TextField):
        spec.setdefault("type", "textarea")
    return spec


def _sections(page: str, user: Any) -> list[tuple[Any, list[dict[str, Any]]]]:
    villages = [(k.code, k.name) for k in kelurahan_for(user).order_by("name")]
    business = [
        _input(Business, "name", required=True),
        _input(Business, "nib", inputmode="numeric"),
        _input(Business, "kbli", inputmode="numeric"),
        _input(Business, "main_activity"),
        _input(Business, "main_product"),
        _input(Business, "legal_form"),
        _input(Business, "start_year"),
    ]
    owner = [
        _input(Owner, "name", "owner_name", required=True),
        {"name": "nik", "label": _("NIK"), "inputmode": "numeric", "help": _("16 digits.")},
        {"name": "phone", "label": _("Phone number"), "type": "tel",
         "help": _("e.g. 0812-3456-7890")},
    ]  # fmt: skip
    address = [
        {"name": "kelurahan", "label": _("kelurahan"), "choices": villages, "required": True},
        _input(Business, "rw"),
        _input(Business, "rt"),
        _input(Business, "street"),
    ]
    if page == "field_edit":
        # A business already registered: its own fields, and a new phone number.
        return [(_("Business"), business), (_("Business address"), address[1:]),
                (_("Owner"), owner[2:])]  # fmt: skip
    if page == "field_register":
        return [
            (_("Business"), business),
            (_("Owner"), owner),
            (_("Business address"), address),
            (FinancialRecord._meta.verbose_name, [
                _input(FinancialRecord, "year", "figures.year"),
                _input(FinancialRecord, "annual_sales", "figures.annual_sales"),
                _input(FinancialRecord, "capital", "figures.capital"),
            ]),
            (LegalityDocument._meta.verbose_name, [
                _input(LegalityDocument, "kind", "legality.kind"),
                _input(LegalityDocument, "number", "legality.number"),
            ]),
            (_("Product"), [
                _input(Product, "name", "product.name"),
                _input(Product, "price", "product.price"),
            ]),
        ]  # fmt: skip
    if page == "field_visit":
        return [(Visit._meta.verbose_name, [
            _input(Visit, "kind", required=True),
            _input(Visit, "held_on", required=True),
            {"name": "kelurahan", "label": _("kelurahan"), "choices": villages, "required": True},
            _input(Visit, "place", required=True),
            _input(Visit, "visitors", required=True),
            {"name": "businesses", "label": _("Businesses visited"), "type": "businesses"},
            _input(Visit, "notes"),
        ])]  # fmt: skip
    return [(Complaint._meta.verbose_name, [
        _input(Complaint, "category", required=True),
        _input(Complaint, "text", required=True),
        {"name": "business", "label": _("Business"), "type": "business"},
        {"name": "kelurahan", "label": _("kelurahan"), "choices": villages},
    ])]  # fmt: skip


def _assets() -> list[str]:
    found = list(ASSETS)
    if settings.DEBUG:  # the base template adds django-htmx's debug script
        found.append("django_htmx/django-htmx.js")
    return found


TEMPLATES = Path(__file__).resolve().parent / "templates" / "fieldwork"


def version() -> str:
    """The service worker's version: a hash of everything it keeps, so that a deployment
    that changes any of it installs a new worker on the phones (and nothing else does).
    NAIKKELAS_APP_RELEASE forces one, for a change the hash cannot see (a translation)."""
    digest = hashlib.sha256(settings.NAIKKELAS_APP_RELEASE.encode())
    for asset in _assets():
        path = finders.find(asset)
        digest.update(asset.encode())
        if isinstance(path, str):
            with open(path, "rb") as f:
                digest.update(f.read())
    # Every template of the app (its pages, what they extend and include, the worker
    # itself) and the site's base page, in a fixed order: each gunicorn worker process
    # must give the same version, or phones would reinstall at every other page.
    site_base = Path(get_template("base.html").origin.name)  # type: ignore[attr-defined]
    for origin in (*sorted(TEMPLATES.glob("*")), site_base):
        digest.update(origin.read_bytes())
    return digest.hexdigest()[:16]


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    icon = "fieldwork/icon-{0}.png"
    return JsonResponse(
        {
            "name": _("Naik Kelas for Sahabat UMKM"),
            "short_name": "Naik Kelas",
            "description": _(
                "Register and update businesses in the field, with or without signal."
            ),
            "lang": request.LANGUAGE_CODE,
            "start_url": reverse("field_home"),
            "scope": "/",
            "display": "standalone",
            "background_color": "#f5f7fa",
            "theme_color": "#0b6e4f",
            "icons": [
                {
                    "src": static(icon.format(size)),
                    "sizes": f"{size}x{size}",
                    "type": "image/png",
                    "purpose": "any maskable",
                }
                for size in (192, 512)
            ],
        },
        content_type="application/manifest+json",
    )


@require_GET
@never_cache
def service_worker(request: HttpRequest) -> HttpResponse:
    """`/sw.js`, at the root so that its scope is the whole site. Never cached (the
    browser must see a new version at once); `updateViaCache: "none"` says the same to
    the browser's update check."""
    response = render(
        request,
        "fieldwork/sw.js",
        {
            "version": version(),
            "assets": json.dumps([static(asset) for asset in _assets()]),
            "pages": json.dumps([reverse(name) for name in PAGES]),
            "static_prefix": settings.STATIC_URL,
        },
        content_type="text/javascript; charset=utf-8",
    )
    return response


@require_GET
@never_cache
@login_required
def shell(request: AuthenticatedRequest, page: str) -> HttpResponse:
    user = request.user
    require(user.can_register)
    context: dict[str, Any] = {
        "page": page,
        "strings": strings(),
        "sections": _sections(page, user) if page != "field_home" else [],
    }
    return render(request, PAGES[page], context)
