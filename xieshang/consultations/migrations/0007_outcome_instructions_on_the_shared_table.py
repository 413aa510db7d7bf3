# Instructions on outcomes become children of councils.Instruction (see
# docs/adr/0004-one-instruction-table.md). The new table starts under a
# name of its own, so that no index or key name clashes with the old
# table's; the rows are copied in 0008, and 0009 drops the old table and
# gives the new one its name.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("councils", "0003_instructions_on_every_subject"),
        ("consultations", "0006_themes_belong_to_the_themes_app"),
    ]

    operations = [
        migrations.AlterField(
            model_name="outcomeinstruction",
            name="outcome",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="legacy_instructions",
                to="consultations.outcome",
            ),
        ),
        migrations.CreateModel(
            name="SharedOutcomeInstruction",
            fields=[
                (
                    "instruction_ptr",
                    models.OneToOneField(
                        auto_created=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        parent_link=True,
                        primary_key=True,
                        serialize=False,
                        to="councils.instruction",
                    ),
                ),
                (
                    "outcome",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="instructions",
                        to="consultations.outcome",
                    ),
                ),
            ],
            bases=("councils.instruction",),
        ),
    ]
