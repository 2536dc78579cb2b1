"""ADR 0160, step 3 of 3: every attachment has its StoredFile; the copies of its fields go."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_initial"),
        ("projects", "0004_attachment_storedfile_carry_over"),
    ]

    operations = [
        migrations.AlterField(
            model_name="projectattachment",
            name="file",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    to="documents.storedfile"),
        ),
        migrations.RemoveField(model_name="projectattachment", name="display_name"),
        migrations.RemoveField(model_name="projectattachment", name="stored_name"),
        migrations.RemoveField(model_name="projectattachment", name="content_type"),
        migrations.RemoveField(model_name="projectattachment", name="size"),
        migrations.RemoveField(model_name="projectattachment", name="sm3"),
    ]
