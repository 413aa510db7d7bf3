from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0008_outcome_instructions_copied_to_the_shared_table"),
    ]

    operations = [
        migrations.DeleteModel(name="OutcomeInstruction"),
        migrations.RenameModel(old_name="SharedOutcomeInstruction", new_name="OutcomeInstruction"),
    ]
