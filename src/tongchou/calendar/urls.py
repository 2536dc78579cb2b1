from django.urls import path

from tongchou.calendar import views

app_name = "workcalendar"
urlpatterns = [
    path("", views.index, name="index"),
    path("days/", views.day_set, name="day_set"),
    path("days/delete/", views.day_delete, name="day_delete"),
    path("years/confirm/", views.year_confirm, name="year_confirm"),
]
