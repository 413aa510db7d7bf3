# Themes move to their own app (xieshang.themes). Renaming the tables here,
# while consultations still owns the models, keeps every row; the themes
# app then takes the models over in its state only (themes 0001), and
# consultations 0006 lets go of them.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0004_joint_invitations_of_lower_councils"),
    ]

    operations = [
        migrations.AlterModelTable(name="theme", table="themes_theme"),
        migrations.AlterModelTable(name="themetag", table="themes_themetag"),
    ]
