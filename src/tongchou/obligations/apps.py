from django.apps import AppConfig


class ObligationsConfig(AppConfig):
    name = "tongchou.obligations"
    label = "obligations"
    verbose_name = "期限与督办"

    def ready(self) -> None:
        # Registers the Art. 26 lapse handler with the sweep, and the Art. 10 completeness check with
        # the lifecycle.
        from tongchou.obligations import completeness, lapse  # noqa: F401
