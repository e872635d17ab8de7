"""What graduation announces to the apps built on it.

Programmes count a confirmed graduation as an outcome of the enrolments before it, but
they sit above graduation (they read its criteria and gaps), so graduation cannot call
them; they connect a receiver in their AppConfig.ready.
"""

from django.dispatch import Signal

# Sent with `graduation` (confirmed, decided_by and decided_at set) from inside the
# transaction that confirmed it: the outcome it leads to is written with it or not at all.
graduation_confirmed = Signal()
