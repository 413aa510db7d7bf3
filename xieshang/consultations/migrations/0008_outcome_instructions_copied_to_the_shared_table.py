# Copy every instruction on an outcome into councils.Instruction and its
# child row; backwards, copy them back and remove the shared rows.

from django.db import migrations

FIELDS = (
    "council_id",
    "office_id",
    "leader_name",
    "leader_title",
    "level",
    "text",
    "instructed_on",
    "recorded_by_id",
    "outcome_id",
)


def forward(apps, schema_editor):
    Old = apps.get_model("consultations", "OutcomeInstruction")
    New = apps.get_model("consultations", "SharedOutcomeInstruction")
    Shared = apps.get_model("councils", "Instruction")
    for old in Old.objects.order_by("id"):
        new = New.objects.create(**{name: getattr(old, name) for name in FIELDS})
        Shared.objects.filter(pk=new.pk).update(recorded_at=old.recorded_at)
    Old.objects.all().delete()


def backward(apps, schema_editor):
    Old = apps.get_model("consultations", "OutcomeInstruction")
    New = apps.get_model("consultations", "SharedOutcomeInstruction")
    for new in New.objects.order_by("pk"):
        old = Old.objects.create(**{name: getattr(new, name) for name in FIELDS})
        Old.objects.filter(pk=old.pk).update(recorded_at=new.recorded_at)
    New.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0007_outcome_instructions_on_the_shared_table"),
    ]

    operations = [migrations.RunPython(forward, backward)]
