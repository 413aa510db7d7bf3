# 督办 of a key proposal is a follow-through ("supervision" is 民主监督 only):
# the table is renamed with its rows.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0007_default_lists_for_every_council"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel(old_name="SupervisionActivity", new_name="KeyProposalFollowThrough"),
        migrations.AlterModelOptions(
            name="keyproposalfollowthrough",
            options={"ordering": ["happened_on", "id"], "verbose_name": "follow-through activity"},
        ),
        migrations.AlterField(
            model_name="keyproposalfollowthrough",
            name="kind",
            field=models.CharField(
                choices=[
                    ("inspection", "inspection"),
                    ("meeting", "follow-through meeting"),
                    ("visit", "visit to the handling unit"),
                    ("other", "other"),
                ],
                max_length=16,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="keyproposalfollowthrough",
            name="proposal",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="follow_throughs", to="proposals.proposal"
            ),
        ),
    ]
