"""The documented demo accounts, created or reset idempotently."""

from django.contrib.auth.hashers import make_password
from django.db import transaction

from naikkelas.accounts.models import Role, User
from naikkelas.regions.models import Region

DEMO_PASSWORD = "naikkelas-demo"  # noqa: S105  (the documented, public demo password)
VOLUNTEER_PREFIX = "sahabat-"

# (username, role, first name, last name, description)
_STAFF: tuple[tuple[str, Role, str, str, str], ...] = (
    ("admin", Role.ADMIN, "Admin", "Demo", "administrator: users, policies, reference data"),
    ("kurator", Role.CURATOR, "Kurator", "Diskopindag", "curator: verifies and returns records"),
    ("pengelola", Role.MANAGER, "Pengelola", "Program", "programme manager: cohorts, outcomes"),
    ("pimpinan", Role.LEADER, "Pimpinan", "Daerah", "leadership viewer: dashboards, read-only"),
    ("bank-tugu-arta", Role.BANK, "BPR", "Tugu Arta", "bank partner: referrals to BPR Tugu Arta"),
    ("bank-jatim", Role.BANK, "Bank", "Jatim", "bank partner: referrals to Bank Jatim"),
)


def volunteer_username(kelurahan_code: str) -> str:
    return VOLUNTEER_PREFIX + kelurahan_code.replace(".", "")


@transaction.atomic
def ensure_demo_accounts() -> list[tuple[str, str, str]]:
    """Create or reset the demo accounts; return (username, role, description) for each.

    Re-running resets password, role and a volunteer's kelurahan, so a demo that someone
    changed by hand comes back to the documented state without duplicating anyone.
    """
    # One hash for every account: PBKDF2 costs a good fraction of a second per call, and
    # 60 accounts sharing a salt is harmless for a password printed on the screen anyway.
    password = make_password(DEMO_PASSWORD)
    villages = list(Region.objects.home().kelurahan().select_related("parent").order_by("code"))

    wanted: list[tuple[str, Role, str, str, str]] = list(_STAFF)
    for village in villages:
        district = village.parent.name if village.parent else ""
        wanted.append(
            (
                volunteer_username(village.code),
                Role.VOLUNTEER,
                "Sahabat UMKM",
                village.name,
                f"Sahabat UMKM volunteer of {village.name} ({district}), {village.code}",
            )
        )

    existing = {u.username: u for u in User.objects.filter(username__in=[w[0] for w in wanted])}
    to_create: list[User] = []
    to_update: list[User] = []
    for username, role, first, last, _description in wanted:
        user = existing.get(username) or User(username=username)
        user.role = role
        user.password = password
        user.first_name, user.last_name = first, last
        user.is_active = True
        user.is_staff = user.is_superuser = role == Role.ADMIN
        (to_update if user.pk else to_create).append(user)
    User.objects.bulk_create(to_create)
    User.objects.bulk_update(
        to_update,
        ["role", "password", "first_name", "last_name", "is_active", "is_staff", "is_superuser"],
    )

    # bulk_create does not hand back primary keys on every backend setting, so read them.
    ids = dict(
        User.objects.filter(username__in=[w[0] for w in wanted]).values_list("username", "pk")
    )
    through = User.kelurahan.through
    volunteer_ids = [ids[volunteer_username(v.code)] for v in villages]
    through.objects.filter(user_id__in=volunteer_ids).delete()
    through.objects.bulk_create(
        [through(user_id=ids[volunteer_username(v.code)], region_id=v.code) for v in villages]
    )
    return [(w[0], str(w[1].value), w[4]) for w in wanted]
