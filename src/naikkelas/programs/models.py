"""Programmes, the cohorts picked for them, enrolments, milestones and bank referrals.

A cohort is picked from the eligibility list and then frozen: its members keep the
class, score and gaps they had at selection, whatever happens to their records later,
so that "who was picked and why" can always be answered. Milestones are the outcomes
that follow (a graduation, a first export, a certificate, credit, jobs, sales) and are
attributed to the enrolments that came before them.
"""

import datetime

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from naikkelas.core import rules
from naikkelas.graduation.models import Criterion
from naikkelas.registry.models import Business, LegalityKind, SizeClass

# A programme's seats: the model, the service and the form apply this one rule.
CAPACITY = rules.Range("capacity_range", _("Capacity must be a whole number of at least 1."), min=1)


def capacity_validator(value: int) -> None:
    """CAPACITY as the model field's validator: a function, so that a migration names it
    rather than copying its limit."""
    CAPACITY.check(value)


class ProgrammeType(models.TextChoices):
    TRAINING = "training", _("Training")
    EQUIPMENT = "equipment", _("Production equipment grant")
    TRADEMARK = "trademark", _("Trademark facilitation")
    HALAL = "halal", _("Halal certification")
    PIRT_BPOM = "pirt_bpom", _("PIRT/BPOM assistance")
    QUALITY = "quality", _("Quality testing")
    PACKAGING = "packaging", _("Packaging design")
    EXPORT = "export", _("Export mentoring")
    MATCHING = "matching", _("Business matching")
    EXPO = "expo", _("Promotion event or expo")
    CENTER = "center", _("UMKM Center slot")
    DIGITAL = "digital", _("Digital marketing")
    BOOKKEEPING = "bookkeeping", _("Bookkeeping and financial literacy")
    LICENSING = "licensing", _("Licensing (NIB) assistance")
    CREDIT = "credit", _("Bank credit referral")


class OrganiserKind(models.TextChoices):
    OFFICE = "office", _("Government office")
    PARTNER = "partner", _("Partner")


class Programme(models.Model):
    name = models.CharField(_("name"), max_length=160, unique=True)
    type = models.CharField(_("type"), max_length=12, choices=ProgrammeType.choices)
    organiser = models.CharField(_("organiser"), max_length=160)
    organiser_kind = models.CharField(
        _("organiser is"), max_length=8, choices=OrganiserKind.choices,
        default=OrganiserKind.OFFICE,
    )  # fmt: skip
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    capacity = models.PositiveIntegerField(_("capacity"), validators=[capacity_validator])
    budget = models.BigIntegerField(
        _("budget (Rp)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    # Readiness criterion codes (graduation.models.Criterion) the programme helps meet.
    criteria = models.JSONField(_("readiness criteria addressed"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="programme_period_order"
            ),
        ]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name


class Cohort(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    # The rule the members were picked by: {"size", "quota_per_kecamatan", "sector",
    # "kecamatan"}; kept so that the selection can be explained later.
    rule = models.JSONField(_("selection rule"), default=dict, blank=True)
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")

    def __str__(self) -> str:
        return self.name

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    @property
    def rule_text(self) -> str:
        """The selection rule in words, for the cohort's page."""
        rule = self.rule or {}
        parts = [_("top %(n)s ready businesses by readiness score") % {"n": rule.get("size", "?")}]
        if rule.get("quota_per_kecamatan"):
            parts.append(_("at most %(n)s per kecamatan") % {"n": rule["quota_per_kecamatan"]})
        if rule.get("sector"):
            parts.append(_("sector %(sector)s") % {"sector": rule["sector"]})
        if rule.get("kecamatan"):
            parts.append(_("kecamatan %(code)s") % {"code": rule["kecamatan"]})
        return ", ".join(str(p) for p in parts)


class CohortMember(models.Model):
    """A business in a cohort with its standing at selection (the snapshot)."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="members")
    business = models.ForeignKey(Business, on_delete=models.PROTECT, related_name="cohort_seats")
    rank = models.PositiveIntegerField(_("rank"))
    # The snapshot: never written after the cohort is frozen.
    business_name = models.CharField(_("business name"), max_length=200)
    kelurahan_code = models.CharField(_("kelurahan"), max_length=13)
    sector = models.CharField(_("sector"), max_length=1, blank=True)
    size_class = models.CharField(  # noqa: DJ001
        _("class"), max_length=8, choices=SizeClass.choices, null=True, blank=True
    )
    readiness_score = models.PositiveSmallIntegerField(_("readiness score"))
    ready = models.BooleanField(_("ready"))
    gaps = models.JSONField(_("gaps"), default=list, blank=True)
    # After freezing, joining or leaving needs a reason; a member who left stays listed.
    added_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_reason = models.TextField(_("reason for adding"), blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    removed_reason = models.TextField(_("reason for removal"), blank=True)

    class Meta:
        ordering = ["rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "business"], name="cohort_member_once")
        ]
        verbose_name = _("cohort member")
        verbose_name_plural = _("cohort members")

    def __str__(self) -> str:
        return f"{self.cohort_id}#{self.rank} {self.business_name}"

    @property
    def gap_labels(self) -> list[str]:
        return [str(Criterion(code).label) for code in self.gaps if code in Criterion.values]


class EnrolmentStatus(models.TextChoices):
    NOMINATED = "nominated", _("Nominated")
    ENROLLED = "enrolled", _("Enrolled")
    COMPLETED = "completed", _("Completed")
    DROPPED = "dropped", _("Dropped")


# The statuses that hold a seat: a nomination reserves one until it is dropped.
SEATED = (EnrolmentStatus.NOMINATED, EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED)


class Enrolment(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="enrolments")
    business = models.ForeignKey(Business, on_delete=models.PROTECT, related_name="enrolments")
    cohort = models.ForeignKey(
        Cohort, null=True, blank=True, on_delete=models.SET_NULL, related_name="enrolments"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.NOMINATED, db_index=True,
    )  # fmt: skip
    nominated_on = models.DateField(_("nominated on"))
    enrolled_on = models.DateField(_("enrolled on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    dropped_on = models.DateField(_("dropped on"), null=True, blank=True)
    dropped_reason = models.TextField(_("reason for dropping"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-nominated_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "business"], name="enrolment_once")
        ]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")

    def __str__(self) -> str:
        return f"{self.business_id} in {self.programme_id}"

    @property
    def started_on(self) -> datetime.date:
        return self.enrolled_on or self.nominated_on


class Session(models.Model):
    """One meeting of a programme (a training day, a mentoring visit)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("date"))
    title = models.CharField(_("topic"), max_length=160)

    class Meta:
        ordering = ["held_on", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%Y-%m-%d})"


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(_("present"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}@{self.session_id}: {self.present}"


class MilestoneKind(models.TextChoices):
    GRADUATION = "graduation", _("Moved up a class")
    EXPORT = "export", _("Export started")
    CERTIFICATION = "certification", _("Certification obtained")
    CREDIT = "credit", _("Credit received")
    JOBS = "jobs", _("Jobs created")
    SALES = "sales", _("Sales change")


class Milestone(models.Model):
    business = models.ForeignKey(Business, on_delete=models.PROTECT, related_name="milestones")
    kind = models.CharField(_("milestone"), max_length=14, choices=MilestoneKind.choices)
    occurred_on = models.DateField(_("date"))
    # What each kind records; the others stay empty.
    graduation = models.OneToOneField(
        "graduation.Graduation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    country = models.CharField(_("destination country"), max_length=80, blank=True)
    product = models.CharField(_("product"), max_length=200, blank=True)
    certification = models.CharField(
        _("certificate"), max_length=6, choices=LegalityKind.choices, blank=True
    )
    bank = models.ForeignKey(
        "programs.Bank", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    amount = models.BigIntegerField(_("amount (Rp)"), null=True, blank=True)
    jobs = models.IntegerField(_("jobs created"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    # The enrolments begun on or before the milestone's date, fixed when it is recorded.
    enrolments = models.ManyToManyField(Enrolment, blank=True, related_name="milestones")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return f"{self.business_id} {self.kind} {self.occurred_on:%Y-%m-%d}"


class Bank(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    code = models.SlugField(_("code"), max_length=30, unique=True)
    # The bank partner accounts that answer this bank's referrals.
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="banks", verbose_name=_("staff")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner bank")
        verbose_name_plural = _("partner banks")

    def __str__(self) -> str:
        return self.name


class CreditProduct(models.TextChoices):
    KUR_SUPER_MICRO = "kur_super_micro", _("KUR super mikro")
    KUR_MICRO = "kur_micro", _("KUR mikro")
    KUR_SMALL = "kur_small", _("KUR kecil")
    WORKING_CAPITAL = "working_capital", _("Working capital loan")
    INVESTMENT = "investment", _("Investment loan")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent to the bank")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    DISBURSED = "disbursed", _("Disbursed")


class Referral(models.Model):
    business = models.ForeignKey(Business, on_delete=models.PROTECT, related_name="referrals")
    bank = models.ForeignKey(Bank, on_delete=models.PROTECT, related_name="referrals")
    product = models.CharField(_("credit product"), max_length=16, choices=CreditProduct.choices)
    amount_requested = models.BigIntegerField(
        _("amount requested (Rp)"), validators=[MinValueValidator(1)]
    )
    purpose = models.TextField(_("purpose"), blank=True)
    # The owner agreed that the bank may see the NIK in full.
    owner_consent = models.BooleanField(_("owner agreed to share the NIK"), default=False)
    enrolment = models.ForeignKey(
        Enrolment, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.SENT,
        db_index=True,
    )  # fmt: skip
    amount_approved = models.BigIntegerField(_("amount approved (Rp)"), null=True, blank=True)
    amount_disbursed = models.BigIntegerField(_("amount disbursed (Rp)"), null=True, blank=True)
    answer_note = models.TextField(_("bank's note"), blank=True)
    referred_on = models.DateField(_("referred on"))
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-referred_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_requested__gt=0), name="referral_amount_positive"
            ),
        ]
        verbose_name = _("credit referral")
        verbose_name_plural = _("credit referrals")

    def __str__(self) -> str:
        return f"{self.business_id} → {self.bank_id} ({self.amount_requested})"
