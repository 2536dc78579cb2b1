from django.urls import path

from tongchou.web import views

urlpatterns = [
    path("", views.home, name="home"),
]
