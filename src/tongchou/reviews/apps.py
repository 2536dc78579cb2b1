from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "tongchou.reviews"
    label = "reviews"
    verbose_name = "联合会审"

    def ready(self) -> None:
        from tongchou.reviews import guards

        guards.register()
