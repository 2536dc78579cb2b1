from django.apps import AppConfig


class DemandConfig(AppConfig):
    name = "tongchou.demand"
    label = "demand"
    verbose_name = "需求征集"
