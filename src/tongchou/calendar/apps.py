from django.apps import AppConfig


class CalendarConfig(AppConfig):
    name = "tongchou.calendar"
    label = "workcalendar"
    verbose_name = "工作日历"
