"""Writing the audit log. Only service functions call this."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models

from naikkelas.core import bulk
from naikkelas.core.middleware import current_request_id
from naikkelas.core.models import AuditEntry

Changes = Mapping[str, tuple[Any, Any] | list[Any]]
# Who acted: a user (accounts.User, typed by its Django base because core, the lowest
# layer, cannot import accounts), or None for the system (an import from the command
# line, a background job without a person).
Actor = AbstractBaseUser | None


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return str(value)
    return str(value)


def _entry(
    actor: Actor, action: str, subject: tuple[str, Any], changes: Changes | None, note: str
) -> dict[str, Any]:
    """An entry's columns; `subject` is (model label, primary key)."""
    person = actor if actor is not None and actor.is_authenticated else None
    return dict(
        actor_id=person.pk if person is not None else None,
        actor_name=person.get_username() if person is not None else "system",
        action=action,
        object_type=subject[0],
        object_id=str(subject[1]),
        changes={k: [_jsonable(v[0]), _jsonable(v[1])] for k, v in (changes or {}).items()},
        note=note,
        request_id=current_request_id(),
    )


def record(
    actor: Actor, action: str, subject: models.Model, changes: Changes | None = None, note: str = ""
) -> AuditEntry:
    label = (subject._meta.label_lower, subject.pk)
    return AuditEntry.objects.create(**_entry(actor, action, label, changes, note))


def record_many(
    actor: Actor, action: str, model: type[models.Model], ids: Iterable[Any], note: str = ""
) -> None:
    """Bulk operations write their entries in bulk, one per subject."""
    label = model._meta.label_lower
    bulk.insert(AuditEntry, [_entry(actor, action, (label, pk), None, note) for pk in ids])


def record_each(
    actor: Actor,
    action: str,
    changed: Iterable[tuple[models.Model, Changes | None]],
    note: str = "",
) -> None:
    """Bulk operations that change each subject differently: one entry per subject, with
    its own changes, written in bulk."""
    bulk.insert(
        AuditEntry,
        [_entry(actor, action, (s._meta.label_lower, s.pk), c, note) for s, c in changed],
    )


def record_selected(
    actor: Actor, action: str, model: type[models.Model], subjects: str, note: str = ""
) -> int:
    """Bulk operations written set-based: one entry per primary key that the query
    `subjects` selects as its column `subject`, inserted by the database itself."""
    entry = _entry(actor, action, (model._meta.label_lower, ""), None, note)
    del entry["object_id"]
    return bulk.insert_select(
        AuditEntry, {"object_id": "CAST(subject AS VARCHAR(64))"}, f"({subjects}) subjects",
        values=entry,
    )  # fmt: skip


def history(subject: models.Model) -> models.QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        object_type=subject._meta.label_lower, object_id=str(subject.pk)
    ).select_related("actor")
