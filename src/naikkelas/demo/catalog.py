"""The demo's catalogue: listing consent for a few hundred verified businesses with priced
products, every sentra member among them, each with a public contact."""

import random

from naikkelas.catalog.models import ContactKind, Listing
from naikkelas.registry.models import Business, Status

LISTED = 400


def list_demo_businesses(rng: random.Random, count: int = LISTED) -> int:
    """Replace the listings; return how many businesses are listed."""
    Listing.objects.all().delete()
    candidates = list(
        Business.objects.filter(status=Status.VERIFIED, products__price__isnull=False)
        .distinct()
        .order_by("id")
        .values_list("id", "sentra_id")
    )
    in_sentra = [pk for pk, sentra in candidates if sentra is not None]
    others = [pk for pk, sentra in candidates if sentra is None]
    chosen = in_sentra + rng.sample(others, min(len(others), max(count - len(in_sentra), 0)))
    listings = []
    for pk in chosen:
        kind = rng.choices([ContactKind.WHATSAPP, ContactKind.PHONE], weights=[4, 1])[0]
        listing = Listing(business_id=pk, listed=True, contact_kind=kind)
        # A made-up shop number (the 0857-0 block), never the owner's private one.
        listing.set_contact(f"+628570{rng.randrange(10**7):07d}")
        listings.append(listing)
    Listing.objects.bulk_create(listings, batch_size=1000)
    return len(listings)
