from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "tongchou.delivery"
    label = "delivery"
    verbose_name = "实施与运维"
