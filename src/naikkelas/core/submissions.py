"""Saving a write once, however many times it is sent.

The sender names the write with a key: a web form's page carries a random one, an API
client sends its own in the `Idempotency-Key` header (api.idempotency). The write claims
the key in its own transaction, under the unique (actor, key). A second claim of the same
key waits for the first transaction (the unique index's lock) and then fails, so it
learns what the first one saved; a first write that failed rolled its claim back with
everything else, and the corrected write may be sent with the same key.

A key is kept for NAIKKELAS_IDEMPOTENCY_RETENTION_DAYS after its claim, then forgotten:
a claim of an expired key starts afresh, and a sweep in the job worker deletes the old
ones (`purge_submissions`): a claim queues one when none waits, and each sweep queues
the next for when the oldest key left expires, so a quiet week still ends its keys.
"""

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from naikkelas.core.errors import DomainError
from naikkelas.core.models import Submission


class AlreadySubmitted(DomainError):
    code = "already_submitted"

    def __init__(self, earlier: Submission) -> None:
        super().__init__(_("This form was already sent; it was saved once."))
        self.earlier = earlier
        self.object_id = earlier.object_id


def retention() -> datetime.timedelta:
    return datetime.timedelta(days=float(settings.NAIKKELAS_IDEMPOTENCY_RETENTION_DAYS))


def claim(actor: Any, key: uuid.UUID | str, fingerprint: str = "") -> Submission:
    """Call inside the write's transaction; raises AlreadySubmitted for a key the actor
    used before (and within retention), whose `earlier` is what that use kept."""
    key = str(key)
    for _attempt in range(2):
        try:
            with transaction.atomic():
                claimed = Submission.objects.create(key=key, actor=actor, fingerprint=fingerprint)
            _queue_purge(claimed.created_at + retention())
            return claimed
        except IntegrityError:
            earlier = Submission.objects.filter(key=key, actor=actor).first()
            if earlier is None:
                continue  # swept between the two statements: claim it afresh
            if timezone.now() - earlier.created_at < retention():
                raise AlreadySubmitted(earlier) from None
            earlier.delete()  # expired, not swept yet: the key is free again
    raise RuntimeError(f"Could not claim the key {key}.")  # pragma: no cover


def done(submission: Submission | None, obj: Any) -> None:
    if submission is not None:
        submission.object_id = str(obj.pk)
        submission.save(update_fields=["object_id"])


def keep_answer(submission: Submission, status: int, body: str) -> None:
    """What the claimed write answered, for a retry to get the same (api.idempotency)."""
    submission.status, submission.body = status, body
    submission.save(update_fields=["status", "body"])


# A sweep runs this long after the key it is for expires, so that key is past it however
# the clocks of web and worker differ.
PURGE_MARGIN = datetime.timedelta(minutes=5)


def _queue_purge(expires: datetime.datetime) -> None:
    waiting = DBTaskResult.objects.filter(
        task_path=purge_submissions.module_path, status=TaskResultStatus.READY
    )
    if not waiting.exists():
        purge_submissions.using(run_after=expires + PURGE_MARGIN).enqueue()


@task()
def purge_submissions() -> None:
    """Delete the keys past retention, and queue the sweep of the oldest one left."""
    Submission.objects.filter(created_at__lte=timezone.now() - retention()).delete()
    oldest = Submission.objects.order_by("created_at").values_list("created_at", flat=True)
    first = oldest.first()
    if first is not None:
        purge_submissions.using(run_after=first + retention() + PURGE_MARGIN).enqueue()
