# An opinion posted in an online deliberation is a deliberation comment, so
# that "opinion" names the opinion reports (社情民意信息) only. Tables and
# columns are renamed with their rows.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0009_old_outcome_instruction_table_removed"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel(old_name="Opinion", new_name="DeliberationComment"),
        migrations.RenameModel(old_name="OpinionSupport", new_name="DeliberationCommentSupport"),
        # The unique constraints name the column: taken off, then put back on
        # the renamed one.
        migrations.RemoveConstraint(model_name="deliberationcommentsupport", name="one_support_per_user"),
        migrations.RemoveConstraint(model_name="deliberationcommentsupport", name="one_support_per_identity"),
        migrations.RenameField(model_name="deliberationcommentsupport", old_name="opinion", new_name="comment"),
        migrations.AddConstraint(
            model_name="deliberationcommentsupport",
            constraint=models.UniqueConstraint(
                condition=models.Q(("user__isnull", False)), fields=("comment", "user"), name="one_support_per_user"
            ),
        ),
        migrations.AddConstraint(
            model_name="deliberationcommentsupport",
            constraint=models.UniqueConstraint(
                condition=models.Q(("identity__isnull", False)),
                fields=("comment", "identity"),
                name="one_support_per_identity",
            ),
        ),
        migrations.AlterField(
            model_name="deliberationcomment",
            name="deliberation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="comments", to="consultations.deliberation"
            ),
        ),
        migrations.AlterField(
            model_name="deliberationcomment",
            name="identity",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="comments",
                to="consultations.publicidentity",
            ),
        ),
        migrations.AlterField(
            model_name="deliberationcomment",
            name="text",
            field=models.TextField(verbose_name="comment"),
        ),
        migrations.RenameIndex(
            model_name="deliberationcomment",
            new_name="deliberation_comment_rank_idx",
            old_name="consultatio_deliber_b8ad10_idx",
        ),
    ]
