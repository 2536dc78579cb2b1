from django.urls import include, path

from tongchou.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("tongchou.delivery.urls")),
    path("projects/", include("tongchou.projects.urls")),
    path("calendar/", include("tongchou.calendar.urls")),
    path("notifications/", include("tongchou.notifications.urls")),
    path("deadlines/", include("tongchou.obligations.urls")),
    path("audit/", include("tongchou.audit.urls")),
    path("experts/", include("tongchou.experts.urls")),
    path("reviews/", include("tongchou.reviews.urls")),
    path("reports/", include("tongchou.reports.urls")),
    path("open/", include("tongchou.reports.public_urls")),
    path("demand/", include("tongchou.demand.urls")),
    path("portfolio/", include("tongchou.portfolio.urls")),
]
