from django.urls import include, path

from tongchou.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("experts/", include("tongchou.experts.urls")),
]
