# The model takes the glossary's name, LiaisonVisit (走访); its table, join
# tables and index are renamed with their rows.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("liaison", "0001_visits_constituents_concerns"),
    ]

    operations = [
        migrations.RenameModel(old_name="Visit", new_name="LiaisonVisit"),
        migrations.RenameIndex(
            model_name="liaisonvisit", new_name="liaison_visit_year_idx", old_name="liaison_vis_council_dc877b_idx"
        ),
    ]
