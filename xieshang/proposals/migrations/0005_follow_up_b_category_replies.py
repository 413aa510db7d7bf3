"""Councils' existing B reply categories are the ones followed up the next
year (DOMAIN.md §1), as new councils get by default."""

from django.db import migrations


def mark_b(apps, schema_editor):
    ReplyCategory = apps.get_model("proposals", "ReplyCategory")
    ReplyCategory.objects.filter(code="B").update(needs_follow_up=True)


def unmark(apps, schema_editor):
    ReplyCategory = apps.get_model("proposals", "ReplyCategory")
    ReplyCategory.objects.update(needs_follow_up=False)


class Migration(migrations.Migration):
    dependencies = [("proposals", "0004_feedback_missing_and_follow_ups")]

    operations = [migrations.RunPython(mark_b, unmark)]
