"""Data only: the package's holiday schedule, so a fresh install counts working days correctly."""

from django.db import migrations


def seed(apps, schema_editor):
    from tongchou.calendar.seed import seed_calendar

    seed_calendar(apps.get_model("workcalendar", "CalendarDay"), apps.get_model("workcalendar", "CalendarYear"))


def unseed(apps, schema_editor):
    apps.get_model("workcalendar", "CalendarDay").objects.filter(source="chinese-calendar").delete()
    apps.get_model("workcalendar", "CalendarYear").objects.filter(source="chinese-calendar").delete()


class Migration(migrations.Migration):
    dependencies = [("workcalendar", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
