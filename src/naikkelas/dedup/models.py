"""Likely duplicate businesses, the curator's decision on each pair, and merges.

A pair is proposed by batch linkage (`naikkelas dedup`) with a match probability and
the reasons; a curator merges it or marks it "not a duplicate", which is remembered so
the pair is never proposed again. A merge records what it moved and what it overwrote,
so that it can be undone.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from naikkelas.registry.models import Business


class PairStatus(models.TextChoices):
    PROPOSED = "proposed", _("To review")
    MERGED = "merged", _("Merged")
    DISTINCT = "distinct", _("Not a duplicate")


class DuplicatePair(models.Model):
    # Always stored with a < b, so a pair has one row whichever way it was found.
    a = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="+")
    b = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField(_("match probability"))
    # Codes of what the two records share: same_nib, same_nik, same_phone, similar_name,
    # similar_owner, same_kelurahan, neighbouring_kelurahan.
    reasons = models.JSONField(default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=PairStatus.choices, default=PairStatus.PROPOSED,
        db_index=True,
    )  # fmt: skip
    found_at = models.DateTimeField(auto_now_add=True)
    # What first proposed the pair: "import:<id>" for the import that created one of
    # its records (its result page links to the queue filtered by it), "registration"
    # for a record registered with another's NIB; blank for the registry-wide search.
    found_by = models.CharField(_("found by"), max_length=64, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-probability", "id"]
        constraints = [
            models.UniqueConstraint(fields=["a", "b"], name="duplicate_pair_once"),
            models.CheckConstraint(condition=Q(a__lt=F("b")), name="duplicate_pair_ordered"),
        ]
        # The queue filtered to one import's pairs; most pairs are the search's, blank.
        indexes = [
            models.Index(fields=["found_by"], condition=~Q(found_by=""), name="pair_found_by")
        ]
        verbose_name = _("duplicate pair")
        verbose_name_plural = _("duplicate pairs")

    def __str__(self) -> str:
        return f"{self.a_id} ~ {self.b_id} ({self.probability:.2f})"


class Merge(models.Model):
    """`merged` was folded into `survivor`; `moved` and `overwritten` undo it."""

    survivor = models.ForeignKey(Business, on_delete=models.PROTECT, related_name="merges_in")
    merged = models.ForeignKey(Business, on_delete=models.PROTECT, related_name="merges_out")
    pair = models.ForeignKey(DuplicatePair, null=True, blank=True, on_delete=models.SET_NULL)
    # {"financials": [ids], "legality": [ids], ...}: the related rows moved to the survivor.
    moved = models.JSONField(default=dict)
    # {field: value}: the survivor's values before the curator chose the merged one's.
    overwritten = models.JSONField(default=dict)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_at = models.DateTimeField(auto_now_add=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"{self.merged_id} → {self.survivor_id}"
