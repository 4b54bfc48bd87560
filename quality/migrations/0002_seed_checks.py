from django.db import migrations


def load(apps, schema_editor):
    from quality.catalogue import ensure_checks

    ensure_checks(apps.get_model("quality", "Check"))


class Migration(migrations.Migration):
    dependencies = [("quality", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
