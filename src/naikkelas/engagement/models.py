"""Field visits (Ngombe dialogues, Sahabat UMKM rounds, sentra visits) and the complaints
and needs they collect, each followed by the office (OPD) it is assigned to."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from naikkelas.core.models import Photo


class Office(models.Model):
    """A government office (OPD) that answers complaints, e.g. Diskopindag."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    def __str__(self) -> str:
        return self.short_name or self.name


class VisitKind(models.TextChoices):
    NGOMBE = "ngombe", _("Ngombe dialogue")
    SAHABAT = "sahabat", _("Sahabat UMKM visit")
    SENTRA = "sentra", _("Sentra visit")


class Visit(models.Model):
    kind = models.CharField(_("kind"), max_length=8, choices=VisitKind.choices)
    held_on = models.DateField(_("date"))
    kelurahan = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("kelurahan")
    )
    place = models.CharField(_("place"), max_length=200)
    visitors = models.CharField(
        _("who visited"), max_length=255, help_text=_("e.g. Wali Kota, Diskopindag, Sahabat UMKM")
    )
    businesses = models.ManyToManyField(
        "registry.Business", blank=True, related_name="visits", verbose_name=_("businesses")
    )
    notes = models.TextField(_("notes"), blank=True)
    # Where the phone was when it was recorded, and how sure it was (core.rules.POSITION).
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    location_accuracy = models.FloatField(_("location accuracy (m)"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.place} {self.held_on}"


class VisitPhoto(Photo):
    folder = "kunjungan"
    folder_key = "visit_id"

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos")


class Category(models.TextChoices):
    CAPITAL = "permodalan", _("Capital (permodalan)")
    LICENSING = "perizinan", _("Licensing (perizinan)")
    MARKETING = "pemasaran", _("Marketing (pemasaran)")
    MATERIALS = "bahan_baku", _("Raw materials (bahan baku)")
    EQUIPMENT = "alat_produksi", _("Production equipment (alat produksi)")
    TRAINING = "pelatihan", _("Training (pelatihan)")
    PREMISES = "tempat_usaha", _("Business premises (tempat usaha)")
    OTHER = "lainnya", _("Other (lainnya)")


class ComplaintStatus(models.TextChoices):
    NEW = "baru", _("New")
    IN_PROGRESS = "ditindaklanjuti", _("Being followed up")
    DONE = "selesai", _("Done")


class ComplaintQuerySet(models.QuerySet["Complaint"]):
    def overdue(self, today: datetime.date | None = None) -> "ComplaintQuerySet":
        """Assigned to an office, not done, and past its due date."""
        today = today or timezone.localdate()
        return self.filter(office__isnull=False, due_on__lt=today).exclude(
            status=ComplaintStatus.DONE
        )


class Complaint(models.Model):
    """A complaint or need heard in the field, followed until the office closes it."""

    visit = models.ForeignKey(
        Visit, null=True, blank=True, on_delete=models.SET_NULL, related_name="complaints"
    )
    business = models.ForeignKey(
        "registry.Business",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
        verbose_name=_("business"),
    )
    # Scope: the kelurahan where it was heard (the business's when there is one).
    kelurahan = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("kelurahan")
    )
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    text = models.TextField(_("complaint or need"))
    # Where the phone was when it was recorded, and how sure it was (core.rules.POSITION).
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    location_accuracy = models.FloatField(_("location accuracy (m)"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ComplaintStatus.choices,
        default=ComplaintStatus.NEW,
        db_index=True,
    )
    office = models.ForeignKey(
        Office,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("office"),
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    # What the need started, when it started something.
    enrolment = models.ForeignKey(
        "programs.Enrolment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    referral = models.ForeignKey(
        "programs.Referral", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("complaint or need")
        verbose_name_plural = _("complaints and needs")
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(office__isnull=True) | Q(due_on__isnull=False),
                name="complaint_assigned_has_due_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.text[:40]}"

    @property
    def is_overdue(self) -> bool:
        return bool(
            self.office_id
            and self.due_on
            and self.due_on < timezone.localdate()
            and self.status != ComplaintStatus.DONE
        )


class ComplaintPhoto(Photo):
    folder = "keluhan"
    folder_key = "complaint_id"

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="photos")


class FollowUp(models.Model):
    """One step in a complaint's life: an assignment, a status change or a note."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="follow_ups")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=16, choices=ComplaintStatus.choices)
    note = models.TextField(_("note"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.status}"
