"""What the public sees: products of verified businesses whose owners agreed to be listed.

This module is the catalogue's scoping layer, as registry.access is the registry's: the
public views read products only through `listed_products`, so nothing unlisted, unpriced
or unverified can leak into a list or a product page.
"""

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from naikkelas.catalog import categories
from naikkelas.catalog.models import ProductPhoto
from naikkelas.core.access import get_or_404
from naikkelas.regions.models import Region, in_region
from naikkelas.registry.models import LegalityDocument, LegalityKind, Product, Sentra, Status


def halal_certified() -> Exists:
    """True for a product whose business holds a halal certificate still in force."""
    today = timezone.localdate()
    return Exists(
        LegalityDocument.objects.filter(
            business=OuterRef("business"), kind=LegalityKind.HALAL
        ).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
    )


def listed_products() -> QuerySet[Product]:
    return (
        Product.objects.filter(
            in_region("business__kelurahan__code", settings.NAIKKELAS_REGION),
            business__status=Status.VERIFIED,
            business__listing__listed=True,
            price__isnull=False,
        )
        .annotate(halal=halal_certified())
        .select_related("business__kelurahan__parent", "business__sentra")
        .prefetch_related(Prefetch("photos", queryset=ProductPhoto.objects.order_by("id")))
    )


def get_listed_product(product_id: Any) -> Product:
    return get_or_404(listed_products().select_related("business__listing"), product_id)


def certifications(product: Product) -> list[str]:
    """The kinds of certificate the business holds (names only, never numbers)."""
    today = timezone.localdate()
    kinds = (
        LegalityDocument.objects.filter(business=product.business)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .values_list("kind", flat=True)
        .distinct()
    )
    labels = dict(LegalityKind.choices)
    return sorted(str(labels[k]) for k in set(kinds))


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All")), *categories.CHOICES]
    )
    kecamatan = forms.ModelChoiceField(
        label=_("Kecamatan"),
        required=False,
        queryset=Region.objects.home().kecamatan().order_by("name"),
        empty_label=_("All"),
    )
    sentra = forms.ModelChoiceField(
        label=_("Sentra"), required=False, queryset=Sentra.objects.all(), empty_label=_("All")
    )
    halal = forms.BooleanField(label=_("Halal certified"), required=False)
    exports = forms.BooleanField(label=_("Export-ready"), required=False)
    price_min = forms.IntegerField(label=_("Lowest price (Rp)"), required=False, min_value=0)
    price_max = forms.IntegerField(label=_("Highest price (Rp)"), required=False, min_value=0)

    def apply(self, products: QuerySet[Product]) -> QuerySet[Product]:
        if not self.is_valid():
            return products
        data = self.cleaned_data
        if data["q"]:
            products = products.filter(
                Q(name__icontains=data["q"]) | Q(business__name__icontains=data["q"])
            )
        if data["category"]:
            products = products.filter(categories.condition(data["category"]))
        if data["kecamatan"]:
            products = products.filter(business__kelurahan__parent=data["kecamatan"])
        if data["sentra"]:
            products = products.filter(business__sentra=data["sentra"])
        if data["halal"]:
            products = products.filter(halal_certified())
        if data["exports"]:
            products = products.filter(business__exports=True)
        if data["price_min"] is not None:
            products = products.filter(price__gte=data["price_min"])
        if data["price_max"] is not None:
            products = products.filter(price__lte=data["price_max"])
        return products
