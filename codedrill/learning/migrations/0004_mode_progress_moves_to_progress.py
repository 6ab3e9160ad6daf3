from django.db import migrations


class Migration(migrations.Migration):
    """ModeProgress now lives in the progress app: the table is renamed, the rows stay."""

    dependencies = [("learning", "0003_trace_progress")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable("modeprogress", "progress_modeprogress")
            ],
            state_operations=[migrations.DeleteModel("ModeProgress")],
        )
    ]
