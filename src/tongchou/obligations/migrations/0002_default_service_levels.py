"""Data only: the default time limits; the bureau edits them as data."""

from django.db import migrations

DEFAULTS = [
    # code, title, article, period, unit, remind_before (working days), responsible
    ("SLA-COMPLETENESS-CHECK", "申报材料完整性审查", "第十条", 5, "working_days", 2, "bureau"),
    ("SLA-MEMBER-OPINION", "联审成员单位出具意见", "第十四条", 7, "working_days", 2, "member"),
    ("ART18-FILING", "批复立项后向数字化发展部门报备", "第十八条", 10, "working_days", 3, "unit"),
    ("ART26-PROCUREMENT-DEADLINE", "立项批复后 1 年内启动政府采购", "第二十六条", 12, "months", 20, "unit"),
]


def add(apps, schema_editor):
    ServiceLevel = apps.get_model("obligations", "ServiceLevel")
    for code, title, article, period, unit, remind, responsible in DEFAULTS:
        ServiceLevel.objects.get_or_create(code=code, defaults={
            "title": title, "article": article, "period": period, "unit": unit, "remind_before": remind,
            "responsible": responsible})


def remove(apps, schema_editor):
    apps.get_model("obligations", "ServiceLevel").objects.filter(code__in=[d[0] for d in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("obligations", "0001_initial")]

    operations = [migrations.RunPython(add, remove)]
