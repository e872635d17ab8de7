"""Targets set by the mayor and the roll-ups the dashboard, the reports and the stats API
read instead of counting a million businesses on every request.

The roll-ups (`Tally`) are rebuilt whole by `tallies.refresh`, which the job worker runs
in the background (`tallies.refresh_when_due`). Database triggers on every table a figure
depends on append a row to `Change` on any write, whoever makes it (a service, an
import's bulk insert, the recompute's set-based SQL): a `Change` row means the roll-ups
miss a write, and its time says since when. Readers never rebuild them (only the very
first reader of an install, when there is nothing to read): they show the figures with
the moment they are exact at (`tallies.snapshot`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Indicator(models.TextChoices):
    REGISTERED = "registered", _("Businesses registered")
    VERIFIED = "verified", _("Records curated (verified)")
    READY = "ready", _("Ready to move up")
    GRADUATED = "graduated", _("Graduated (moved up a class)")
    EXPORTERS = "exporters", _("Exporters")
    CREDIT_DISBURSED = "credit_disbursed", _("Credit disbursed (Rp)")
    PROGRAMME_COMPLETIONS = "programme_completions", _("Programme completions")


# Indicators that describe a state today (no date to place them in a period): their
# progress is today's count, whatever the target's period.
STATE_INDICATORS = {Indicator.READY, Indicator.EXPORTERS}


class Target(models.Model):
    """A figure to reach within a period of whole months, for the city or one region."""

    indicator = models.CharField(_("indicator"), max_length=24, choices=Indicator.choices)
    # The first day of the first and of the last month of the period.
    starts_on = models.DateField(_("from month"))
    ends_on = models.DateField(_("to month"))
    # A kecamatan or kelurahan code; empty for the whole city.
    region = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
    )
    value = models.BigIntegerField(_("target value"))
    note = models.CharField(_("source or note"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on", "indicator", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0), name="target_value_nonneg"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="target_period_order"
            ),
        ]
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self) -> str:
        return f"{self.get_indicator_display()} {self.starts_on:%Y-%m}–{self.ends_on:%Y-%m}"


class Dimension(models.TextChoices):
    SIZE = "size", _("size class")
    SECTOR = "sector", _("sector")
    GENDER = "gender", _("owner's gender")
    # Events by the month they happened in (registered, verified, graduated, ...).
    MONTH = "month", _("month")


# The bucket of a business whose class, sector, gender or event month is not known, so
# that every breakdown adds up to its total.
UNKNOWN = "unknown"


class Tally(models.Model):
    """Counts of the countable businesses of one kelurahan in one bucket of one dimension.

    For the size, sector and gender dimensions each business is in exactly one bucket,
    so each adds up to the kelurahan's totals; for months a column counts the events of
    that month (a registration, a verification, a first confirmed graduation, a completed
    enrolment, a disbursed credit).
    """

    kelurahan_code = models.CharField(max_length=13)
    dimension = models.CharField(max_length=8, choices=Dimension.choices)
    bucket = models.CharField(max_length=16)
    registered = models.PositiveIntegerField(default=0)
    verified = models.PositiveIntegerField(default=0)
    ready = models.PositiveIntegerField(default=0)
    graduated = models.PositiveIntegerField(default=0)
    exporters = models.PositiveIntegerField(default=0)
    programme_completions = models.PositiveIntegerField(default=0)
    credit_disbursed = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "kelurahan_code", "bucket"], name="tally_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kelurahan_code} {self.dimension}={self.bucket}: {self.registered}"


class TallyState(models.Model):
    """The one row saying when the roll-ups were rebuilt: `refreshed_at` is the moment
    they counted the registry at (the start of the refresh), `seconds` how long it took.

    It also keeps the city's regions as the dashboard needs them (name, level, parent,
    population and the kelurahan's outline on the map, `dashboard.place_rows`): reading
    91,000 regions and decoding 57 boundaries on every request would cost more than
    all the figures.
    """

    refreshed_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(default=0)
    places = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"refreshed {self.refreshed_at}"


class Change(models.Model):
    """Appended by database triggers on every write a figure depends on (see the
    migrations); emptied by a refresh of what it counted. Any row means the roll-ups
    miss a write."""

    id = models.BigAutoField(primary_key=True)
    # When the write was made: the time of its statement, set by the trigger, so never
    # later than its commit. The roll-ups are exact at least up to the first row's.
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"change {self.pk} at {self.at}"
