from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    name = "tongchou.lifecycle"
    label = "lifecycle"
    verbose_name = "项目生命周期"
