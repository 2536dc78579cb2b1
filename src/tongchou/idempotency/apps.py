from django.apps import AppConfig


class IdempotencyConfig(AppConfig):
    name = "tongchou.idempotency"
    label = "idempotency"
    verbose_name = "幂等键"
