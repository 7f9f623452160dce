"""Give API tokens an external identifier (UUID) for URLs and the audit trail."""

import uuid

from django.db import migrations, models


def fill_token_uuids(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    for token in ApiToken.objects.filter(uuid__isnull=True).only("pk"):
        token.uuid = uuid.uuid4()
        token.save(update_fields=["uuid"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="uuid",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(fill_token_uuids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, unique=True, editable=False),
        ),
    ]
