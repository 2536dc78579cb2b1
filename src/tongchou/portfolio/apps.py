from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "tongchou.portfolio"
    label = "portfolio"
    verbose_name = "项目统筹（管理模式、共建项目、县市园区、资金渠道）"

    def ready(self) -> None:
        from tongchou.portfolio.funding import register_guards

        register_guards()
