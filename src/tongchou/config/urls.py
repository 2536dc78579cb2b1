from django.urls import include, path

from tongchou.api.urls import api
from tongchou.web import views as web_views

urlpatterns = [
    path("healthz", web_views.healthz, name="healthz"),
    path("favicon.ico", web_views.favicon, name="favicon"),
    path("api/v1/", api.urls),
    path("accounts/", include("tongchou.accounts.urls")),
    path("", include("tongchou.web.urls")),
]

# Chinese error answers: pages for people, JSON under /api/ (tongchou.web.errors).
handler400 = "tongchou.web.errors.bad_request"
handler403 = "tongchou.web.errors.permission_denied"
handler404 = "tongchou.web.errors.page_not_found"
handler500 = "tongchou.web.errors.server_error"
