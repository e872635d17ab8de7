from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from naikkelas.core.indexes import of_set_values


class AuditEntry(models.Model):
    """Append-only: one row per change made through a service function.

    `changes` holds {field: [old, new]} with personal data already masked; the subject
    is the aggregate root (a business, a user), so its page can show the whole history.
    """

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Indexed in Meta over set values only: system and command-line work has no actor.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", db_index=False,
    )  # fmt: skip
    # Kept beside the key so the history still names a user who was later deleted.
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    changes = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "-created_at"]),
            of_set_values("actor", "audit_actor"),
        ]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise RuntimeError("Audit entries are append-only.")
        super().save(*args, **kwargs)


class Submission(models.Model):
    """A form sent once: the key its page carries, so that a double tap, two parallel
    posts or a resend after a timeout save one record, not two (core.submissions)."""

    key = models.UUIDField(primary_key=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # What the first post saved, for the later ones to show.
    object_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.key} -> {self.object_id or '…'}"
