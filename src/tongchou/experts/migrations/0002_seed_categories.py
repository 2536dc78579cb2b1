"""Data migration: the twelve seeded expert categories (stable codes; names editable afterwards)."""

from django.db import migrations

SEED = [
    ("software", "软件开发"), ("integration", "系统集成"), ("security", "网络安全"), ("crypto", "密码应用"),
    ("data", "数据治理"), ("cloud", "云计算"), ("hardware", "硬件设备"), ("investment", "投资造价"),
    ("finance_audit", "财务审计"), ("archives", "档案管理"), ("project_mgmt", "项目管理"), ("law", "法律"),
]


def seed(apps, schema_editor):
    Category = apps.get_model("experts", "Category")
    for order, (code, name) in enumerate(SEED, start=1):
        Category.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})


def unseed(apps, schema_editor):
    Category = apps.get_model("experts", "Category")
    Category.objects.filter(code__in=[c for c, _ in SEED], experts__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("experts", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
