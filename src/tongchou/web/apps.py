from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "tongchou.web"
    label = "web"
    verbose_name = "界面"
