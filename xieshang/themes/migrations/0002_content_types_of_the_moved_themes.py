# Give the content types of the moved models their new app label, so that
# anything referring to them by content type keeps finding them.

from django.db import migrations

MODELS = ("theme", "themetag")


def relabel(apps, schema_editor, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def forward(apps, schema_editor):
    relabel(apps, schema_editor, "consultations", "themes")


def backward(apps, schema_editor):
    relabel(apps, schema_editor, "themes", "consultations")


class Migration(migrations.Migration):
    dependencies = [
        ("themes", "0001_themes_taken_over_from_consultations"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forward, backward)]
