"""A flag's uniqueness (one per check and row) is kept by an index that starts with the
row, so that the same index finds a row's flags and quality_flag_row, which did only that,
goes: one index fewer to write for each flag an import raises."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('orgs', '0003_apitoken'),
        ('quality', '0005_flag_fewer_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='flag',
            name='quality_flag_once',
        ),
        migrations.RemoveIndex(
            model_name='flag',
            name='quality_flag_row',
        ),
        migrations.AddConstraint(
            model_name='flag',
            constraint=models.UniqueConstraint(fields=('content_type', 'object_id', 'check_item'), name='quality_flag_once'),
        ),
    ]
