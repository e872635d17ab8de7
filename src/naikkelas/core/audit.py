"""Writing the audit log. Only service functions call this."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models

from naikkelas.core.middleware import current_request_id
from naikkelas.core.models import AuditEntry

Changes = Mapping[str, tuple[Any, Any] | list[Any]]


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return str(value)
    return str(value)


def _entry(
    actor: Any, action: str, subject: models.Model, changes: Changes | None, note: str
) -> AuditEntry:
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry(
        actor=actor if authenticated else None,
        actor_name=actor.get_username() if authenticated else "system",
        action=action,
        object_type=subject._meta.label_lower,
        object_id=str(subject.pk),
        changes={k: [_jsonable(v[0]), _jsonable(v[1])] for k, v in (changes or {}).items()},
        note=note,
        request_id=current_request_id(),
    )


def record(
    actor: Any, action: str, subject: models.Model, changes: Changes | None = None, note: str = ""
) -> AuditEntry:
    entry = _entry(actor, action, subject, changes, note)
    entry.save()
    return entry


def record_many(actor: Any, action: str, subjects: Iterable[models.Model], note: str = "") -> None:
    """Bulk operations write their entries in bulk, one per subject."""
    AuditEntry.objects.bulk_create(
        [_entry(actor, action, s, None, note) for s in subjects], batch_size=2000
    )


def history(subject: models.Model) -> models.QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        object_type=subject._meta.label_lower, object_id=str(subject.pk)
    ).select_related("actor")
