"""What the registry announces to the apps built on it.

The apps that derive something from a business (graduation keeps its class and
readiness) sit above the registry, so the registry cannot call them; it says which
businesses it changed and they connect a receiver in their AppConfig.ready.
"""

from django.dispatch import Signal

# Sent with `business_ids` from inside the transaction that changed those businesses:
# what the receivers write commits or rolls back with the change, and a page read right
# after the write already shows it.
businesses_changed = Signal()

# Sent with `business_ids` when a business is registered or an edit changes what its
# duplicates are recognised by (name, NIB, owner's NIK or phone), from inside the
# transaction. A NIB another business holds is not refused (OSS issues the NIB to the
# pelaku usaha, and one NIB can cover several outlets or activities): dedup links the
# records for the curator's review.
identity_changed = Signal()
