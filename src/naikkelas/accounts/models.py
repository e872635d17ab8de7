from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    CURATOR = "curator", _("Curator")
    MANAGER = "manager", _("Programme manager")
    LEADER = "leader", _("Leadership viewer")
    VOLUNTEER = "volunteer", _("Sahabat UMKM volunteer")
    BANK = "bank", _("Bank partner")
    OWNER = "owner", _("Business owner")


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
