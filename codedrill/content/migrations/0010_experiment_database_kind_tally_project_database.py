"""An experiment's `database` names the database ("sqlite", "postgresql", or "" for none)
instead of a boolean for SQLite; experiments may send a `tally` request; a project names its
database too."""

from django.db import migrations, models


def name_the_database(apps, schema_editor):
    Experiment = apps.get_model("content", "Experiment")
    Experiment.objects.filter(database=True).update(database_name="sqlite")


def back_to_the_boolean(apps, schema_editor):
    Experiment = apps.get_model("content", "Experiment")
    Experiment.objects.filter(database_name="sqlite").update(database=True)


class Migration(migrations.Migration):

    dependencies = [
        ("content", "0009_questionversion_code_html"),
    ]

    operations = [
        migrations.AddField(
            model_name="experiment",
            name="database_name",
            field=models.CharField(blank=True, default="", max_length=20),
        ),
        migrations.RunPython(name_the_database, back_to_the_boolean),
        migrations.RemoveField(model_name="experiment", name="database"),
        migrations.RenameField(
            model_name="experiment", old_name="database_name", new_name="database"
        ),
        migrations.AlterField(
            model_name="experiment",
            name="database",
            field=models.CharField(
                blank=True,
                help_text='"sqlite", "postgresql", or "": none, or SQLite for a site with models.',
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="experiment",
            name="tally",
            field=models.JSONField(blank=True, help_text="{path, label} or empty", null=True),
        ),
        migrations.AlterField(
            model_name="experiment",
            name="predict",
            field=models.JSONField(
                default=list, help_text="What a learner predicts: wall, probe, queries, tally."
            ),
        ),
        migrations.AddField(
            model_name="project",
            name="database",
            field=models.CharField(
                blank=True,
                help_text='"sqlite", "postgresql", or "": none, or SQLite for a site with models.',
                max_length=20,
            ),
        ),
    ]
