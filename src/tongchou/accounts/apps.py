from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tongchou.accounts"
    label = "accounts"
    verbose_name = "组织与账户"

    def ready(self) -> None:
        from tongchou.accounts import signals  # noqa: F401
        from tongchou.crypto.sm import self_test

        self_test()
