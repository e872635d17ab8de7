"""The public catalogue (no login) and the forms owners and staff use to feed it.

The public views read only through `public.listed_products`; the others start with the
registry's access helper like every other page.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from naikkelas.accounts.http import AuthenticatedRequest
from naikkelas.catalog import public, services
from naikkelas.catalog.forms import ListingForm, PhotoForm
from naikkelas.catalog.models import Listing
from naikkelas.core.access import require
from naikkelas.core.errors import DomainError
from naikkelas.core.web import attempt, redirect_back, show_on_form
from naikkelas.registry.access import get_business_for
from naikkelas.registry.models import Sentra, Status

PAGE_SIZE = 24


def catalogue(request: HttpRequest) -> HttpResponse:
    form = public.CatalogueFilterForm(request.GET or None)
    products = form.apply(public.listed_products()).order_by("name", "id")
    page = Paginator(products, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "catalog/catalogue.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "filtered": bool(set(query) - {"q"}),
        },
    )


def product_detail(request: HttpRequest, product_id: int) -> HttpResponse:
    product = public.get_listed_product(product_id)
    listing: Listing = product.business.listing
    return render(
        request,
        "catalog/product_detail.html",
        {
            "product": product,
            "business": product.business,
            "certifications": public.certifications(product),
            "contact_link": listing.contact_link,
            "contact_kind": listing.contact_kind,
            "others": public.listed_products()
            .filter(business=product.business)
            .exclude(pk=product.pk)
            .order_by("name")[:6],
        },
    )


def sentra_list(request: HttpRequest) -> HttpResponse:
    members = Q(members__status=Status.VERIFIED)
    sentra = Sentra.objects.select_related("kelurahan").annotate(
        member_count=Count("members", filter=members)
    )
    return render(request, "catalog/sentra_list.html", {"sentra": sentra})


def sentra_detail(request: HttpRequest, sentra_id: int) -> HttpResponse:
    sentra = Sentra.objects.select_related("kelurahan__parent").filter(pk=sentra_id).first()
    if sentra is None:
        raise Http404
    products = public.listed_products().filter(business__sentra=sentra).order_by("name", "id")
    page = Paginator(products, PAGE_SIZE).get_page(request.GET.get("page"))
    members = sentra.members.filter(status=Status.VERIFIED).count()
    return render(
        request,
        "catalog/sentra_detail.html",
        {"sentra": sentra, "page": page, "members": members, "query": ""},
    )


@login_required
def listing_edit(request: AuthenticatedRequest, business_id: int) -> HttpResponse:
    business = get_business_for(request.user, business_id)
    # Not a form for those who may see the business but not list it (leadership).
    require(services.may_list(request.user, business))
    listing = Listing.objects.filter(business=business).first()
    initial: dict[str, Any] = {}
    if listing is not None:
        initial = {
            "listed": listing.listed,
            "contact_kind": listing.contact_kind,
            "contact": listing.contact,
        }
    form = ListingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_listing(request.user, business, **form.cleaned_data)
        except DomainError as e:
            show_on_form(form, e)
        else:
            messages.success(request, _("Catalogue settings saved."))
            return redirect_back(request, "business_detail", business.pk)
    products = business.products.prefetch_related("photos")
    return render(
        request,
        "catalog/listing_form.html",
        {"business": business, "form": form, "products": products, "photo_form": PhotoForm()},
    )


@login_required
@require_POST
def photo_add(request: AuthenticatedRequest, business_id: int, product_id: int) -> HttpResponse:
    business = get_business_for(request.user, business_id)
    product = business.products.filter(pk=product_id).first()
    if product is None:
        raise Http404
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a photo to upload."))
    else:
        attempt(
            request,
            _("Photo added."),
            lambda: services.add_product_photo(request.user, product, form.cleaned_data["photo"]),
        )
    return redirect("catalog_listing_edit", business.pk)
