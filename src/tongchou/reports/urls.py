from django.urls import path

from tongchou.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("unit/", views.unit, name="unit"),
    path("drill/<slug:key>/", views.drill, name="drill"),
    path("figures/<slug:key>.xlsx", views.figure_export, name="figure_export"),
    path("exports/", views.exports, name="exports"),
    path("exports/<int:pk>/", views.job, name="job"),
    path("exports/<int:pk>/download/", views.job_download, name="job_download"),
    path("whatif/", views.whatif, name="whatif"),
]
