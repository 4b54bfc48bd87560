from django.db import migrations


def load(apps, schema_editor):
    from ledger.catalogue import ensure_kinds

    ensure_kinds(apps.get_model("ledger", "ActivityKind"))


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
