# The history rows of a key proposal's follow-through get the event type's
# new name, so that timelines keep labelling them. (Audit entries keep the
# name they were chained with.)

from django.db import migrations

OLD, NEW = "proposal.supervised", "proposal.followed_through"


def rename(apps, old, new):
    Event = apps.get_model("core", "Event")
    Event.objects.filter(type=old).update(type=new)


def forward(apps, schema_editor):
    rename(apps, OLD, NEW)


def backward(apps, schema_editor):
    rename(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0008_key_proposal_follow_through"),
        ("core", "0003_search_documents"),
    ]

    operations = [migrations.RunPython(forward, backward)]
