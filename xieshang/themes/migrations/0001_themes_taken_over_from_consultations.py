# The tables were renamed to themes_* by consultations 0005; this app takes
# the models over in the migration state only, then gives the index and the
# unique constraint names of its own.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("consultations", "0005_theme_tables_renamed_for_the_themes_app"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("councils", "0002_setting_reset_and_lower_case_slug"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Theme",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=50, verbose_name="name")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "council",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="councils.council",
                                verbose_name="council",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["name"],
                        "constraints": [
                            models.UniqueConstraint(fields=("council", "name"), name="consultation_theme_unique")
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="ThemeTag",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("object_id", models.PositiveBigIntegerField()),
                        ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "content_type",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="contenttypes.contenttype",
                            ),
                        ),
                        (
                            "council",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="councils.council",
                                verbose_name="council",
                            ),
                        ),
                        (
                            "theme",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="tags",
                                to="themes.theme",
                            ),
                        ),
                    ],
                    options={
                        "indexes": [models.Index(fields=["council", "year"], name="consultatio_council_18035d_idx")],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("theme", "content_type", "object_id"), name="one_tag_per_theme_and_item"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RenameIndex(
            model_name="themetag",
            new_name="theme_tag_council_year_idx",
            old_name="consultatio_council_18035d_idx",
        ),
        migrations.RemoveConstraint(model_name="theme", name="consultation_theme_unique"),
        migrations.AddConstraint(
            model_name="theme",
            constraint=models.UniqueConstraint(fields=("council", "name"), name="theme_name_unique_per_council"),
        ),
    ]
