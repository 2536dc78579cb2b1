from django.urls import path

from tongchou.delivery import views

app_name = "delivery"

urlpatterns = [
    path("projects/<int:pk>/delivery/", views.project_delivery, name="project"),
    path("projects/<int:pk>/delivery/om-requests/", views.om_request_new, name="om_request_new"),
    path("projects/<int:pk>/delivery/om-requests/<int:request_id>/decision/", views.om_request_decision,
         name="om_request_decision"),
    path("projects/<int:pk>/delivery/crypto-assessments/", views.crypto_assessment_new, name="crypto_assessment_new"),
    path("inventory/", views.inventory, name="inventory"),
]
