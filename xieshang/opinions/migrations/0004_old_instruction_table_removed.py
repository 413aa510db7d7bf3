from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("opinions", "0003_report_instructions_copied_to_the_shared_table"),
    ]

    operations = [migrations.DeleteModel(name="Instruction")]
