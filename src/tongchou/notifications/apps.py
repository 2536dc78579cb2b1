from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "tongchou.notifications"
    label = "notifications"
    verbose_name = "通知"
