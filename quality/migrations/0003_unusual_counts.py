"""Adds the checks of counts far above what is usual for their kind (activities) and level
(meetings) to the catalogue; checks already there keep the office's settings."""

from django.db import migrations


def load(apps, schema_editor):
    from quality.catalogue import ensure_checks

    ensure_checks(apps.get_model("quality", "Check"))


class Migration(migrations.Migration):
    dependencies = [("quality", "0002_seed_checks")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
