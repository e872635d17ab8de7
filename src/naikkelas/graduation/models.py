"""Naik kelas policies and the standing computed from them.

Policies are versioned and effective-dated; a computed standing names the policy
versions that produced it, so a later policy change never rewrites what was decided.
"""

import datetime
from typing import Self

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from naikkelas.registry.models import Basis, Business, SizeClass


class PolicyVersion(models.Model):
    """An effective-dated version; the one in force on a day is the latest that started."""

    name = models.CharField(_("name"), max_length=120)
    effective_from = models.DateField(_("effective from"), unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.name} ({self.effective_from:%Y-%m-%d})"

    @classmethod
    def in_force(cls, on: datetime.date | None = None) -> Self:
        on = on or timezone.localdate()
        policy = (
            cls._default_manager.filter(effective_from__lte=on).order_by("-effective_from").first()
        )
        if policy is None:
            raise cls.DoesNotExist(f"No {cls._meta.verbose_name} is in force.")
        return policy


class SizePolicy(PolicyVersion):
    """Upper bounds (inclusive) of each class, PP 7/2021 Pasal 35 by default."""

    micro_max_capital = models.BigIntegerField(_("micro: capital up to (Rp)"))
    small_max_capital = models.BigIntegerField(_("small: capital up to (Rp)"))
    medium_max_capital = models.BigIntegerField(_("medium: capital up to (Rp)"))
    micro_max_sales = models.BigIntegerField(_("micro: annual sales up to (Rp)"))
    small_max_sales = models.BigIntegerField(_("small: annual sales up to (Rp)"))
    medium_max_sales = models.BigIntegerField(_("medium: annual sales up to (Rp)"))

    class Meta(PolicyVersion.Meta):
        verbose_name = _("size policy")
        verbose_name_plural = _("size policies")

    def bounds(self, criterion: str) -> list[tuple[str, int]]:
        """(class, inclusive upper bound) in ascending order; above the last is large."""
        prefix = "capital" if criterion == "capital" else "sales"
        return [
            (SizeClass.MICRO, getattr(self, f"micro_max_{prefix}")),
            (SizeClass.SMALL, getattr(self, f"small_max_{prefix}")),
            (SizeClass.MEDIUM, getattr(self, f"medium_max_{prefix}")),
        ]

    def class_of_sales(self, sales: int) -> str:
        return next((cls for cls, bound in self.bounds("sales") if sales <= bound), SizeClass.LARGE)


class Criterion(models.TextChoices):
    NIB = "nib", _("Business identification number (NIB)")
    PRODUCT_LEGALITY = "product_legality", _("Product legality")
    PRODUCT_QUALITY = "product_quality", _("Product quality")
    PACKAGING = "packaging", _("Packaging")
    BRANDING = "branding", _("Branding")
    DIGITAL_MARKETING = "digital_marketing", _("Digital marketing")
    DISTRIBUTION = "distribution", _("Distribution")
    BOOKKEEPING = "bookkeeping", _("Bookkeeping")


class ReadinessPolicy(PolicyVersion):
    # A curator's 1-5 assessment counts as met from this score up.
    pass_score = models.PositiveSmallIntegerField(
        _("assessment pass score"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )

    class Meta(PolicyVersion.Meta):
        verbose_name = _("readiness policy")
        verbose_name_plural = _("readiness policies")


class ReadinessCriterion(models.Model):
    policy = models.ForeignKey(ReadinessPolicy, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("criterion"), max_length=20, choices=Criterion.choices)
    weight = models.PositiveSmallIntegerField(_("weight"), validators=[MinValueValidator(1)])
    required = models.BooleanField(_("required"), default=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "code"], name="criterion_once_per_policy")
        ]

    def __str__(self) -> str:
        return self.get_code_display()


class Assessment(models.Model):
    """A curator's visit: 1-5 scores on what only a person can judge."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField(_("date of visit"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    product_quality = models.PositiveSmallIntegerField(
        _("product quality"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    packaging = models.PositiveSmallIntegerField(
        _("packaging"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    branding = models.PositiveSmallIntegerField(
        _("branding"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    distribution = models.PositiveSmallIntegerField(
        _("distribution"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return f"{self.business_id} {self.assessed_on}"


class SizeCriterion(models.TextChoices):
    SALES = "sales", _("annual sales")
    CAPITAL = "capital", _("capital")


class Standing(models.Model):
    """The computed class and readiness of one business, rewritten by every recompute."""

    business = models.OneToOneField(
        Business, primary_key=True, on_delete=models.CASCADE, related_name="standing"
    )
    # NULL means unknown (no figure at all), which the API reports as null, not "".
    size_class = models.CharField(  # noqa: DJ001
        max_length=8, choices=SizeClass.choices, null=True, blank=True
    )
    size_criterion = models.CharField(max_length=8, choices=SizeCriterion.choices, blank=True)
    size_basis = models.CharField(max_length=8, choices=Basis.choices, blank=True)
    size_year = models.PositiveSmallIntegerField(null=True, blank=True)
    size_figure = models.BigIntegerField(null=True, blank=True)
    size_policy = models.ForeignKey(SizePolicy, on_delete=models.PROTECT, related_name="+")
    met_nib = models.BooleanField(default=False)
    met_product_legality = models.BooleanField(default=False)
    met_product_quality = models.BooleanField(default=False)
    met_packaging = models.BooleanField(default=False)
    met_branding = models.BooleanField(default=False)
    met_digital_marketing = models.BooleanField(default=False)
    met_distribution = models.BooleanField(default=False)
    met_bookkeeping = models.BooleanField(default=False)
    readiness_score = models.PositiveSmallIntegerField(default=0)
    ready = models.BooleanField(default=False, db_index=True)
    readiness_policy = models.ForeignKey(
        ReadinessPolicy, on_delete=models.PROTECT, related_name="+"
    )
    computed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["size_class", "ready"])]

    def __str__(self) -> str:
        return f"{self.business_id}: {self.size_class} {self.readiness_score}"

    def met(self, code: str) -> bool:
        return bool(getattr(self, f"met_{code}"))


class GraduationStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class EvidenceKind(models.TextChoices):
    TAX_REPORT = "tax_report", _("Tax report (SPT)")
    BANK_STATEMENT = "bank_statement", _("Bank statement")
    INVOICE_LEDGER = "invoice_ledger", _("Invoice ledger")


class Graduation(models.Model):
    """A move to a higher class between two verified years; counts once confirmed.

    The figures, classes and policy version are copied in when proposed, so a later
    policy change or correction never rewrites a confirmed graduation.
    """

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="graduations")
    from_year = models.PositiveSmallIntegerField(_("from year"))
    to_year = models.PositiveSmallIntegerField(_("to year"))
    from_class = models.CharField(_("from class"), max_length=8, choices=SizeClass.choices)
    to_class = models.CharField(_("to class"), max_length=8, choices=SizeClass.choices)
    from_sales = models.BigIntegerField(_("annual sales, from year (Rp)"))
    to_sales = models.BigIntegerField(_("annual sales, to year (Rp)"))
    size_policy = models.ForeignKey(SizePolicy, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=GraduationStatus.choices,
        default=GraduationStatus.PROPOSED, db_index=True,
    )  # fmt: skip
    evidence_kind = models.CharField(
        _("evidence"), max_length=16, choices=EvidenceKind.choices, blank=True
    )
    evidence_note = models.TextField(_("evidence details"), blank=True)
    reason = models.TextField(_("reason for rejection"), blank=True)
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-to_year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["business", "to_year"], name="one_graduation_per_year")
        ]
        verbose_name = _("graduation")
        verbose_name_plural = _("graduations")

    def __str__(self) -> str:
        return f"{self.business_id}: {self.from_year}-{self.to_year} {self.to_class}"
