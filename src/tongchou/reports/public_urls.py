from django.urls import path

from tongchou.reports import views

app_name = "open"

urlpatterns = [path("", views.open_register, name="register")]
