from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "tongchou.reviews"
    label = "reviews"
    verbose_name = "联合会审"
