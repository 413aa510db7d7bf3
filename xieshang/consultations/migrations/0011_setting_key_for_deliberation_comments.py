# The per-council limit of comments per hour keeps its values and history
# under its new key.

from django.db import migrations

OLD, NEW = "deliberation_opinions_per_hour", "deliberation_comments_per_hour"


def rename(apps, old, new):
    CouncilSetting = apps.get_model("councils", "CouncilSetting")
    Event = apps.get_model("core", "Event")
    CouncilSetting.objects.filter(key=old).update(key=new)
    for event in Event.objects.filter(type__in=("setting.changed", "setting.reset"), data__key=old):
        event.data = {**event.data, "key": new}
        event.save(update_fields=["data"])


def forward(apps, schema_editor):
    rename(apps, OLD, NEW)


def backward(apps, schema_editor):
    rename(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0010_deliberation_comments"),
        ("councils", "0003_instructions_on_every_subject"),
        ("core", "0003_search_documents"),
    ]

    operations = [migrations.RunPython(forward, backward)]
