"""API tokens belong to accounts: the model comes from the api app with its table
(``api_apitoken``, created by api's 0001_initial), so orgs only takes it into its state.
Its content type is renamed too, so that the audit entries of existing tokens (and their
permissions) follow it."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _move_content_type(apps, schema_editor, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    if not types.filter(app_label=target, model="apitoken").exists():
        types.filter(app_label=source, model="apitoken").update(app_label=target)


def to_orgs(apps, schema_editor):
    _move_content_type(apps, schema_editor, "api", "orgs")


def to_api(apps, schema_editor):
    _move_content_type(apps, schema_editor, "orgs", "api")


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0002_unit_version"),
        # The table exists (api's 0001) and api no longer holds the model in its state.
        ("api", "0002_apitoken_to_orgs"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ApiToken",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=80, verbose_name="name")),
                        ("prefix", models.CharField(max_length=16, unique=True, verbose_name="prefix")),
                        ("secret_hash", models.CharField(max_length=64, verbose_name="SHA-256 of the token")),
                        ("created", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                        ("last_used", models.DateTimeField(blank=True, null=True, verbose_name="last used")),
                        ("revoked", models.DateTimeField(blank=True, null=True, verbose_name="revoked")),
                        (
                            "account",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="api_tokens",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="account",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "API token",
                        "verbose_name_plural": "API tokens",
                        "db_table": "api_apitoken",
                        "ordering": ["-created", "-pk"],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(to_orgs, to_api, elidable=False),
    ]
