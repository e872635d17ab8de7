"""A survivor's history includes the history of the records merged into it.

Audit entries are never rewritten (the log is append-only), so the merged records'
entries are found by following `merged_into` back from the survivor.
"""

from django.db.models import QuerySet

from naikkelas.core.models import AuditEntry
from naikkelas.registry.models import Business


def history_with_merged(business: Business) -> QuerySet[AuditEntry]:
    ids = {business.pk}
    frontier = [business.pk]
    # A record merged into one that was itself merged later belongs here too.
    while frontier:
        frontier = list(
            Business.objects.filter(merged_into__in=frontier)
            .exclude(pk__in=ids)
            .values_list("pk", flat=True)
        )
        ids.update(frontier)
    return AuditEntry.objects.filter(
        object_type=business._meta.label_lower, object_id__in=[str(pk) for pk in ids]
    ).select_related("actor")
