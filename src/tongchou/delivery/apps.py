from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "tongchou.delivery"
    label = "delivery"
    verbose_name = "实施与运维"

    def ready(self) -> None:
        from tongchou.delivery.guards import register_all

        register_all()
        from tongchou.delivery import queues

        queues.register()
