from django.dispatch import Signal

# Sent inside the transaction of a bulk import once its rows are written, with ``rows``:
# a queryset of exactly the new activities. Bulk inserts send no post_save, so apps that
# look at every new row (the data-quality checks) listen to this instead.
activities_imported = Signal()

# Sent when an import of activities ends refused (its file failed the guard, a row had a
# problem, or the file held nothing), with ``job``; the inbox tells the account that
# uploaded it.
import_refused = Signal()
