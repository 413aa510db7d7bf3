# Consultations and plan items keep their themes (same join tables and
# columns); only the model the fields point at moves, so nothing changes in
# the database.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0005_theme_tables_renamed_for_the_themes_app"),
        ("themes", "0001_themes_taken_over_from_consultations"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="consultation",
                    name="themes",
                    field=models.ManyToManyField(
                        blank=True, related_name="consultations", to="themes.theme", verbose_name="themes"
                    ),
                ),
                migrations.AlterField(
                    model_name="planitem",
                    name="themes",
                    field=models.ManyToManyField(
                        blank=True, related_name="plan_items", to="themes.theme", verbose_name="themes"
                    ),
                ),
                migrations.DeleteModel(name="ThemeTag"),
                migrations.DeleteModel(name="Theme"),
            ],
            database_operations=[],
        ),
    ]
