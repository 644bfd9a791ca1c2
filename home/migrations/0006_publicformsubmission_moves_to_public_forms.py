"""PublicFormSubmission now belongs to the public_forms app (public_forms/0001). Its
table, rows, content type and permissions stay: here it only leaves home's state."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0005_form_consent_and_combined_submissions"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="PublicFormSubmission")],
            database_operations=[],
        ),
    ]
