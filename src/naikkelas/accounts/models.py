import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    CURATOR = "curator", _("Curator")
    MANAGER = "manager", _("Programme manager")
    LEADER = "leader", _("Leadership viewer")
    VOLUNTEER = "volunteer", _("Sahabat UMKM volunteer")
    BANK = "bank", _("Bank partner")
    OWNER = "owner", _("Business owner")


# The roles that run the programme day to day: they refer businesses to banks, verify
# outcomes and follow complaints up.
PROGRAMME_OFFICE = frozenset({Role.ADMIN, Role.CURATOR, Role.MANAGER})


class NaikKelasUserManager(UserManager["User"]):
    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra: object
    ) -> "User":
        # `createsuperuser` makes an administrator of the programme, not only of Django.
        extra.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra)


class User(AbstractUser):
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.VOLUNTEER)
    # A volunteer works in the kelurahan assigned to them, and only there.
    kelurahan = models.ManyToManyField(
        "regions.Region", blank=True, related_name="volunteers", verbose_name=_("kelurahan")
    )

    objects: NaikKelasUserManager = NaikKelasUserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def sees_whole_city(self) -> bool:
        return self.role in {Role.ADMIN, Role.CURATOR, Role.MANAGER, Role.LEADER}

    @property
    def can_register(self) -> bool:
        return self.role in {Role.ADMIN, Role.CURATOR, Role.VOLUNTEER}

    @property
    def can_curate(self) -> bool:
        return self.role in {Role.ADMIN, Role.CURATOR}

    @property
    def can_reveal_personal_data(self) -> bool:
        return self.role in {Role.ADMIN, Role.CURATOR}

    @property
    def can_manage_programmes(self) -> bool:
        """Create and run programmes, their sessions, enrolments and cohorts."""
        return self.role in {Role.ADMIN, Role.MANAGER}

    @property
    def can_refer_to_banks(self) -> bool:
        return self.role in PROGRAMME_OFFICE

    @property
    def can_record_milestones(self) -> bool:
        """Record a business's outcome (jobs, sales, exports); verifying it is the office's."""
        return self.role in PROGRAMME_OFFICE | {Role.VOLUNTEER}

    @property
    def can_verify_milestones(self) -> bool:
        return self.role in PROGRAMME_OFFICE

    @property
    def can_record_engagement(self) -> bool:
        """Record a visit to the field or a complaint heard there."""
        return self.role in PROGRAMME_OFFICE | {Role.VOLUNTEER}

    @property
    def can_follow_up_complaints(self) -> bool:
        # Volunteers and leadership hear complaints; the office acts on them.
        return self.role in PROGRAMME_OFFICE


def token_digest(key: str) -> str:
    # The key is 256 random bits: one SHA-256, no salt or stretching, is enough to make
    # the stored value useless to whoever reads the table.
    return hashlib.sha256(key.encode()).hexdigest()


def password_fingerprint_of(user: User) -> str:
    # Whatever changes the password changes the hash, whether or not it goes through
    # set_password() and save(). Not get_session_auth_hash(): that depends on SECRET_KEY,
    # which token security does not, so rotating the key need not revoke tokens. A hash
    # upgraded at login (a newer Django's iteration count) revokes them too: at worst,
    # one more token request.
    return hashlib.sha256(user.password.encode()).hexdigest()


class ApiTokenManager(models.Manager["ApiToken"]):
    def issue(self, user: User) -> tuple["ApiToken", str]:
        """A new token for the user, and its key: the only time the key is known.

        The user's tokens that can no longer be used (expired, or from before a password
        change) are deleted at the same time.
        """
        now = timezone.now()
        fingerprint = password_fingerprint_of(user)
        self.filter(
            Q(expires_at__lte=now) | ~Q(password_fingerprint=fingerprint), user=user
        ).delete()
        key = secrets.token_urlsafe(32)
        token = self.create(
            user=user,
            digest=token_digest(key),
            password_fingerprint=fingerprint,
            expires_at=now + timedelta(hours=settings.NAIKKELAS_API_TOKEN_TTL_HOURS),
        )
        return token, key


class ApiToken(models.Model):
    """An API token (`Authorization: Token <key>`), kept as a hash of its key only.

    It is bound to the password it was issued under: a password change, by any path,
    revokes it (see `issued_under_current_password`).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    password_fingerprint = models.CharField(max_length=64)
    expires_at = models.DateTimeField()

    objects: ApiTokenManager = ApiTokenManager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user.username} ({self.expires_at:%Y-%m-%d %H:%M})"

    def issued_under_current_password(self) -> bool:
        return constant_time_compare(self.password_fingerprint, password_fingerprint_of(self.user))

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()
