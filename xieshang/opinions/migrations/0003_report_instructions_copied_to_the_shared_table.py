# Copy every instruction on a report into councils.Instruction and its
# child row (the office is the one the forwarding went to); backwards, copy
# them back and remove the shared rows.

from django.db import migrations

FIELDS = ("council_id", "leader_name", "leader_title", "level", "text", "instructed_on", "recorded_by_id")


def forward(apps, schema_editor):
    Old = apps.get_model("opinions", "Instruction")
    New = apps.get_model("opinions", "ReportInstruction")
    Shared = apps.get_model("councils", "Instruction")
    for old in Old.objects.select_related("forwarding").order_by("id"):
        new = New.objects.create(
            office_id=old.forwarding.oversight_office_id,
            report_id=old.report_id,
            forwarding_id=old.forwarding_id,
            **{name: getattr(old, name) for name in FIELDS},
        )
        Shared.objects.filter(pk=new.pk).update(recorded_at=old.recorded_at)
    Old.objects.all().delete()


def backward(apps, schema_editor):
    Old = apps.get_model("opinions", "Instruction")
    New = apps.get_model("opinions", "ReportInstruction")
    for new in New.objects.order_by("pk"):
        old = Old.objects.create(
            report_id=new.report_id,
            forwarding_id=new.forwarding_id,
            **{name: getattr(new, name) for name in FIELDS},
        )
        Old.objects.filter(pk=old.pk).update(recorded_at=new.recorded_at)
    New.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("opinions", "0002_report_instructions_on_the_shared_table"),
    ]

    operations = [migrations.RunPython(forward, backward)]
