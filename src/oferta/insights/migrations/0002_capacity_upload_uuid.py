import uuid

from django.db import migrations, models


def fill_uuids(apps, schema_editor):
    CapacityUpload = apps.get_model("insights", "CapacityUpload")
    for upload in CapacityUpload.objects.filter(uuid__isnull=True):
        upload.uuid = uuid.uuid4()
        upload.save(update_fields=["uuid"])


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="capacityupload",
            name="uuid",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(fill_uuids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="capacityupload",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
