from django.dispatch import Signal

# Sent inside the transaction of ``orgs.services.move_unit`` once a unit (with its subtree)
# stands under its new parent. Arguments: ``unit`` and ``old_ancestor_ids`` (the units it
# stood under before, itself excluded). Apps that keep summaries by subtree listen to it.
unit_moved = Signal()
