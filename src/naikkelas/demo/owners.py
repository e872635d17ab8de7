"""One owner account per business class in the demo (`pemilik-mikro`, `pemilik-kecil`, …),
each linked to a verified business with a NIB so that it can sign in with either."""

from django.contrib.auth.hashers import make_password

from naikkelas.accounts.models import Role, User
from naikkelas.demo.accounts import DEMO_PASSWORD
from naikkelas.graduation.models import Standing
from naikkelas.registry import bulk
from naikkelas.registry.models import SizeClass, Status

USERNAMES = {
    SizeClass.MICRO: "pemilik-mikro",
    SizeClass.SMALL: "pemilik-kecil",
    SizeClass.MEDIUM: "pemilik-menengah",
}


def ensure_owner_accounts() -> list[tuple[str, str, str]]:
    """Create or reset the demo owners; return (username, role, description) for each.

    The business is the first verified one of its class with a NIB and open gaps (so the
    portal has something to show); a class with no such business gets no account.
    """
    password = make_password(DEMO_PASSWORD)
    accounts = []
    for size_class, username in USERNAMES.items():
        user = User.objects.filter(username=username).first() or User(username=username)
        if user.pk:
            # Re-running picks the same business again: free it first.
            bulk.release_owner_account(user)
        standing = (
            Standing.objects.filter(
                size_class=size_class,
                ready=False,
                business__status=Status.VERIFIED,
                business__owner_account__isnull=True,
            )
            .exclude(business__nib="")
            .select_related("business")
            .order_by("business_id")
            .first()
        )
        if standing is None:
            continue
        business = standing.business
        user.role, user.password, user.is_active = Role.OWNER, password, True
        user.email = f"{username}@demo.naikkelas.id"
        user.first_name = business.owner.name[:150]
        user.save()
        bulk.link_owner_account(business.pk, user)
        accounts.append(
            (username, Role.OWNER.value, f"owner of {business.name} (NIB {business.nib})")
        )
    return accounts
