from django.urls import path

from tongchou.obligations import views

app_name = "obligations"
urlpatterns = [
    path("", views.deadlines, name="deadlines"),
    path("service-levels/", views.service_levels, name="service_levels"),
    path("service-levels/<str:code>/", views.service_level_edit, name="service_level_edit"),
]
