"""Print the SQL that turns this schema into a Citus (distributed PostgreSQL) layout.

Every ledger table — every model with a ``region_code`` — is distributed by it, co-located
with the others, so that one city's rows (and all the joins between them) live on one
worker. Catalogues and the unit tree are reference tables, copied to every worker.
Citus is not packaged for Debian 12, so this is a plan to apply on a Citus cluster, not
something the test suite can run; docs/scaling.md explains it."""

from __future__ import annotations

from django.apps import apps
from django.core.management.base import BaseCommand

OURS = {"orgs", "campaigns", "ledger", "quiz", "concerns", "orglife", "reports", "quality", "api"}
# Tables that stay on the coordinator: sessions, job bookkeeping, audit entries.
LOCAL = {"django_session", "django_tasks_db_dbtaskresult", "auditlog_logentry"}


def _has_region(model) -> bool:
    return model._meta.label != "orgs.Unit" and any(f.name == "region_code" for f in model._meta.concrete_fields)


def plan() -> tuple[list[str], list[tuple[str, str]], list[str]]:
    """(distributed tables, children that must gain region_code first, reference tables)."""
    models = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.app_label in OURS and not m._meta.proxy and m._meta.db_table not in LOCAL
    ]
    distributed = {m for m in models if _has_region(m)}
    children, reference = [], []
    for model in models:
        if model in distributed:
            continue
        parents = [
            f.related_model for f in model._meta.concrete_fields if f.is_relation and f.related_model in distributed
        ]
        if parents:
            children.append((model._meta.db_table, parents[0]._meta.db_table))
        else:
            reference.append(model._meta.db_table)
    return sorted(m._meta.db_table for m in distributed), sorted(children), sorted(reference)


class Command(BaseCommand):
    help = "Print the Citus distribution plan (SQL) for the current schema."

    def handle(self, *args, **options):
        distributed, children, reference = plan()
        out = self.stdout.write
        out("-- Reference tables: copied to every worker (the unit tree and the catalogues).")
        for table in reference:
            out(f"SELECT create_reference_table('{table}');")
        out("")
        out("-- Ledger tables: distributed by region_code (the city), co-located with each other.")
        first = distributed[0] if distributed else None
        for table in distributed:
            colocate = "" if table == first else f", colocate_with => '{first}'"
            out(f"SELECT create_distributed_table('{table}', 'region_code'{colocate});")
        out("")
        out("-- Rows that hang off a distributed row (answers of an attempt, files of an activity,")
        out("-- totals of a unit ...) follow their parent: they gain its region_code, then:")
        for table, parent in children:
            out(
                f"SELECT create_distributed_table('{table}', 'region_code', colocate_with => '{first}');  -- child of {parent}"
            )
        out("")
        out(
            f"-- {len(distributed)} distributed, {len(children)} to follow their parent, {len(reference)} reference tables."
        )
        out("-- Before distributing, each distributed table's primary key and unique constraints")
        out("-- must include region_code (ALTER TABLE ... ADD PRIMARY KEY (id, region_code)).")
