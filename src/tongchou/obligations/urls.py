from django.urls import path

from tongchou.obligations import views

app_name = "obligations"
urlpatterns = [
    path("", views.deadlines, name="deadlines"),
]
