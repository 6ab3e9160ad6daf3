import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """ModeProgress arrives from the learning app with its table (renamed there); completion
    and best result become two things, and concepts get tallies."""

    initial = True

    dependencies = [
        ("content", "0002_questions_traces_cards_experiments"),
        ("learning", "0004_mode_progress_moves_to_progress"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ModeProgress",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("mode", models.SlugField()),
                        ("percent", models.PositiveSmallIntegerField(default=0)),
                        ("updated", models.DateTimeField(auto_now=True)),
                        (
                            "learner",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="mode_progress",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "pattern",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                to="content.pattern",
                            ),
                        ),
                    ],
                    options={
                        "constraints": [
                            models.UniqueConstraint(
                                models.F("learner"),
                                models.F("pattern"),
                                models.F("mode"),
                                name="one_progress_per_mode",
                            )
                        ]
                    },
                )
            ],
            database_operations=[],
        ),
        migrations.AlterField(
            model_name="modeprogress",
            name="percent",
            field=models.PositiveSmallIntegerField(default=0, help_text="Completion, 0–100."),
        ),
        migrations.AddField(
            model_name="modeprogress",
            name="best_right",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="modeprogress",
            name="best_total",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.CreateModel(
            name="ConceptProgress",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("concept", models.SlugField()),
                ("right", models.PositiveIntegerField(default=0)),
                ("missed", models.PositiveIntegerField(default=0)),
                ("updated", models.DateTimeField(auto_now=True)),
                (
                    "learner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="concept_progress",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "pattern",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, to="content.pattern"
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        models.F("learner"),
                        models.F("pattern"),
                        models.F("concept"),
                        name="one_progress_per_concept",
                    )
                ]
            },
        ),
    ]
