from typing import ClassVar

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
    """A write sent once, named by a key its sender chose (core.submissions).

    A web form's page carries a random key, so that a double tap, two parallel posts or a
    resend after a timeout save one record, not two; an API client sends its key in the
    `Idempotency-Key` header, and the API keeps the answer with it (`fingerprint` of the
    request, `status` and `body` of the answer) to answer a retry the same way. A key is
    the sender's own: two users' keys never meet.
    """

    # Indexed by the unique (actor, key), which serves the actor alone too.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    key = models.CharField(max_length=64)
    # What the first post saved, for the later ones to show.
    object_id = models.CharField(max_length=64, blank=True)
    # An API request's method, path and body, hashed (SHA-256, hex); blank for a web form.
    fingerprint = models.CharField(max_length=64, blank=True)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    body = models.TextField(blank=True)
    # Indexed: the purge deletes by age (core.tasks.purge_submissions).
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["actor", "key"], name="submission_actor_key")
        ]

    def __str__(self) -> str:
        return f"{self.key} -> {self.object_id or self.status or '…'}"


def photo_path(instance: "Photo", filename: str) -> str:
    """Where a photo's files go: its class's folder, then the id of what it shows.

    One function for every photo model, read through the class's attributes, so that the
    migrations name it and not a copy per app: "usaha/12/photo.jpg" for business 12.
    """
    return f"{instance.folder}/{getattr(instance, instance.folder_key)}/{filename}"


class Photo(models.Model):
    """A photo as stored (core.images.save_photo): a page-sized JPEG and its thumbnail.

    A subclass adds the foreign key to what the photo shows and names the folder under
    the media root (`folder`) and the attribute whose value names its subfolder
    (`folder_key`, the foreign key's id).
    """

    folder: ClassVar[str]
    folder_key: ClassVar[str]

    image = models.FileField(upload_to=photo_path)
    thumbnail = models.FileField(upload_to=photo_path)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["id"]

    def __str__(self) -> str:
        return self.image.name
