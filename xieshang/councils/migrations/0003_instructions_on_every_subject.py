# One table for every leader's instruction (批示), whatever it is on; the
# subjects' own tables become its children (opinions 0003,
# consultations 0007), see docs/adr/0004-one-instruction-table.md.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("councils", "0002_setting_reset_and_lower_case_slug"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Instruction",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("leader_name", models.CharField(max_length=50, verbose_name="leader")),
                ("leader_title", models.CharField(blank=True, max_length=100, verbose_name="leader's position")),
                (
                    "level",
                    models.CharField(
                        choices=[
                            ("county", "county"),
                            ("city", "city"),
                            ("province", "province"),
                            ("national", "national"),
                        ],
                        max_length=16,
                        verbose_name="level",
                    ),
                ),
                ("text", models.TextField(verbose_name="instruction")),
                ("instructed_on", models.DateField(verbose_name="date of the instruction")),
                ("recorded_at", models.DateTimeField(auto_now_add=True)),
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
                    "office",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="councils.oversightoffice"
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
            ],
            options={
                "ordering": ["instructed_on", "id"],
                "indexes": [models.Index(fields=["council", "instructed_on"], name="instruction_council_date_idx")],
            },
        ),
    ]
