from django.dispatch import Signal

# Sent inside the transaction of every step of a concern's life, once its timeline event is
# written, with ``event`` (the ``ConcernEvent``) and ``concern`` (as it is now). The inbox
# tells the accounts whose turn it is.
concern_moved = Signal()
