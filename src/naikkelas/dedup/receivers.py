"""Duplicates' answers to what the registry announces."""

from collections.abc import Collection
from typing import Any

from naikkelas.dedup.linkage import same_nib_pairs
from naikkelas.dedup.services import propose_pairs

# `DuplicatePair.found_by` of the pairs a registration or an edit brought.
REGISTRATION = "registration"


def link_shared_nib(sender: Any, business_ids: Collection[int], **kwargs: Any) -> None:
    """A business registered, or edited, with a NIB another record holds: the registry
    keeps both (one NIB can cover several businesses of one pelaku usaha) and the
    curator reviews the pair. Look-alikes by name are the registry-wide search's."""
    propose_pairs(same_nib_pairs(business_ids), found_by=REGISTRATION)
