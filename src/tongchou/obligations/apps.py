from django.apps import AppConfig


class ObligationsConfig(AppConfig):
    name = "tongchou.obligations"
    label = "obligations"
    verbose_name = "期限与督办"

    def ready(self) -> None:
        # Registers the Art. 26 lapse handler with the sweep.
        from tongchou.obligations import lapse  # noqa: F401
