"""Saving a form once, however many times it is sent.

The page carries a random key; the write claims it in its own transaction. A second
claim of the same key waits for the first transaction (the primary key's lock) and then
fails, so it learns what the first one saved; a first post that failed rolled its claim
back with everything else, and the corrected form may be sent with the same key.
"""

import uuid

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

from naikkelas.core.errors import DomainError
from naikkelas.core.models import Submission


class AlreadySubmitted(DomainError):
    code = "already_submitted"

    def __init__(self, object_id: str) -> None:
        super().__init__(_("This form was already sent; it was saved once."))
        self.object_id = object_id


def claim(actor: AbstractBaseUser, key: uuid.UUID) -> Submission:
    """Call inside the write's transaction; raises AlreadySubmitted for a key seen before.
    `actor` is an accounts.User, typed by its Django base: core cannot import accounts."""
    try:
        with transaction.atomic():
            # By the key's column: the model's type names accounts.User, above core.
            return Submission.objects.create(key=key, actor_id=actor.pk)
    except IntegrityError:
        earlier = Submission.objects.filter(key=key, actor_id=actor.pk).first()
        raise AlreadySubmitted(earlier.object_id if earlier else "") from None


def done(submission: Submission | None, obj: models.Model) -> None:
    if submission is not None:
        submission.object_id = str(obj.pk)
        submission.save(update_fields=["object_id"])
