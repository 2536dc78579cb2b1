from django.urls import include, path

from tongchou.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("reviews/", include("tongchou.reviews.urls")),
]
