"""Index shapes shared by the models."""

from django.db import models
from django.db.models import Q


def of_set_values(field: str, name: str) -> models.Index:
    """An index of a nullable foreign key's set values only.

    Most rows leave such a key empty (who merged, verified or created a record; its
    sentra; the owner's login): a full index would still take an entry for each of them
    on every insert (the five on the business table cost a first import of a million
    rows ~2 s). Every query that uses the key asks for a value (`= x`, `IN (...)`: joins
    and Django's checks when the referenced row is deleted), and PostgreSQL proves that
    the condition holds for it.
    """
    return models.Index(fields=[field], name=name, condition=Q(**{f"{field}__isnull": False}))
