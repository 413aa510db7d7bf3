# The pinyin search key of every member's name, for the person picker;
# existing rows get theirs here, new and renamed ones from Member.save().

from django.db import migrations, models

from xieshang.core.pinyin import search_key


def fill_search_keys(apps, schema_editor):  # type: ignore[no-untyped-def]
    Member = apps.get_model("councils", "Member")
    rows = list(Member.objects.only("pk", "full_name"))
    for row in rows:
        row.search_key = search_key(row.full_name)
    Member.objects.bulk_update(rows, ["search_key"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("councils", "0003_instructions_on_every_subject"),
    ]

    operations = [
        migrations.AddField(
            model_name="member",
            name="search_key",
            field=models.CharField(blank=True, editable=False, max_length=200),
        ),
        migrations.RunPython(fill_search_keys, migrations.RunPython.noop),
    ]
