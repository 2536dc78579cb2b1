from django.urls import include, path

from tongchou.api.urls import api
from tongchou.web import views as web_views

urlpatterns = [
    path("healthz", web_views.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("accounts/", include("tongchou.accounts.urls")),
    path("", include("tongchou.web.urls")),
]
