"""ADR 0160, step 1 of 3: project attachments get a `documents.StoredFile`; the columns that StoredFile
now holds become nullable so step 2 can be reversed. Three migrations, not one, because PostgreSQL
refuses ALTER TABLE in the transaction that updated the rows (pending deferred FK trigger events)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_initial"),
        ("projects", "0002_register_facts_materials_assessments"),
    ]

    operations = [
        migrations.AddField(
            model_name="projectattachment",
            name="file",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    to="documents.storedfile"),
        ),
        migrations.AlterField(model_name="projectattachment", name="display_name",
                              field=models.CharField(max_length=120, null=True, verbose_name="文件名")),
        migrations.AlterField(model_name="projectattachment", name="stored_name",
                              field=models.CharField(max_length=80, null=True, unique=True)),
        migrations.AlterField(model_name="projectattachment", name="content_type",
                              field=models.CharField(max_length=100, null=True)),
        migrations.AlterField(model_name="projectattachment", name="size",
                              field=models.PositiveBigIntegerField(null=True)),
        migrations.AlterField(model_name="projectattachment", name="sm3",
                              field=models.CharField(max_length=64, null=True, verbose_name="SM3 摘要")),
    ]
