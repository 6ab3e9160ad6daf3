import uuid

from django.db import migrations, models


def give_each_badge_a_uuid(apps, schema_editor):
    Badge = apps.get_model("attempts", "Badge")
    for badge in Badge.objects.filter(uuid__isnull=True):
        badge.uuid = uuid.uuid4()
        badge.save(update_fields=["uuid"])


class Migration(migrations.Migration):
    dependencies = [("attempts", "0003_results_apart_from_completion")]

    # Added empty, filled one by one, then made unique: one default for every existing row
    # would collide.
    operations = [
        migrations.AddField("badge", "uuid", models.UUIDField(null=True, editable=False)),
        migrations.RunPython(give_each_badge_a_uuid, migrations.RunPython.noop),
        migrations.AlterField(
            "badge",
            "uuid",
            models.UUIDField(default=uuid.uuid4, unique=True, editable=False),
        ),
    ]
