"""Flags lose the indexes that another index already serves (a foreign key's own index
where a composite index starts with the same column; the check's stays, the pages list a
check's flags through it) and the index of ``region_code``, which nothing reads flags by:
an import writes a flag per doubted row, and each index is written for every one. The
account that decided a flag is found through a partial index of decided flags.

On SQLite, changing ``db_index`` by ``AlterField`` would copy the whole table once per
field; the indexes are dropped by name instead (whatever each backend called them)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


COLUMNS = ("content_type_id", "unit_id", "region_code", "cleared_by_id")
FIELDS = ("content_type", "unit", "region_code", "cleared_by")


def drop_single_column_indexes(apps, schema_editor):
    Flag = apps.get_model("quality", "Flag")
    table = Flag._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        constraints = schema_editor.connection.introspection.get_constraints(cursor, table)
    for name, info in constraints.items():
        if (
            info["index"]
            and not info["unique"]
            and not info["primary_key"]
            and len(info["columns"]) == 1
            and info["columns"][0] in COLUMNS
            and name != "quality_flag_decided_by"
        ):
            schema_editor.execute(schema_editor._delete_index_sql(Flag, name))


def restore_single_column_indexes(apps, schema_editor):
    Flag = apps.get_model("quality", "Flag")
    for name in FIELDS:
        field = Flag._meta.get_field(name)
        for sql in schema_editor._field_indexes_sql(Flag, field):
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("orgs", "0003_apitoken"),
        ("quality", "0004_flag_detail_code"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="flag",
                    name="cleared_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="decided by",
                    ),
                ),
                migrations.AlterField(
                    model_name="flag",
                    name="content_type",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
                migrations.AlterField(
                    model_name="flag",
                    name="region_code",
                    field=models.CharField(editable=False, max_length=32, verbose_name="region"),
                ),
                migrations.AlterField(
                    model_name="flag",
                    name="unit",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="orgs.unit",
                        verbose_name="unit",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunPython(drop_single_column_indexes, restore_single_column_indexes),
            ],
        ),
        migrations.AddIndex(
            model_name="flag",
            index=models.Index(
                condition=models.Q(("cleared_by__isnull", False)), fields=["cleared_by"], name="quality_flag_decided_by"
            ),
        ),
    ]
