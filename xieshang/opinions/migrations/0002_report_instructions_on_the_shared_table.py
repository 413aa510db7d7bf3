# Instructions on reports become children of councils.Instruction (see
# docs/adr/0004-one-instruction-table.md). The old table stays until its
# rows are copied (0003) and goes in 0004; meanwhile its reverse names step
# aside.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("councils", "0003_instructions_on_every_subject"),
        ("opinions", "0001_opinion_reports_bulletins_forwardings"),
    ]

    operations = [
        migrations.AlterField(
            model_name="instruction",
            name="report",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="legacy_instructions",
                to="opinions.opinionreport",
            ),
        ),
        migrations.AlterField(
            model_name="instruction",
            name="forwarding",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="legacy_instructions",
                to="opinions.forwarding",
            ),
        ),
        migrations.CreateModel(
            name="ReportInstruction",
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
                    "forwarding",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="instructions",
                        to="opinions.forwarding",
                    ),
                ),
                (
                    "report",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="instructions",
                        to="opinions.opinionreport",
                    ),
                ),
            ],
            bases=("councils.instruction",),
        ),
    ]
