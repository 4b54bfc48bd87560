from django.dispatch import Signal

# Sent inside the transaction of each step of a rectification measure, once it is written,
# with ``measure``, ``step`` ("done", "verified", "refused", "closed"), ``actor`` and
# ``reason`` (a refusal's). The inbox tells the accounts whose turn it is.
measure_moved = Signal()
