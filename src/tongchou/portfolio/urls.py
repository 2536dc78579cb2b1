from django.urls import path

from tongchou.portfolio import views

app_name = "portfolio"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("projects/<int:pk>/", views.project_page, name="project"),
    path("projects/<int:pk>/overlaps/", views.project_overlaps, name="overlaps"),
    path("projects/<int:pk>/mode/", views.mode_propose, name="mode_propose"),
    path("projects/<int:pk>/mode/confirm/", views.mode_confirm, name="mode_confirm"),
    path("projects/<int:pk>/funding-route/", views.funding_route_record, name="funding_route"),
    path("projects/<int:pk>/shared/", views.shared_create, name="shared_create"),
    path("shared/", views.shared_list, name="shared_list"),
    path("shared/<int:pk>/", views.shared_page, name="shared"),
    path("shared/<int:pk>/participants/", views.participant_add, name="participant_add"),
    path("shared/<int:pk>/participants/<int:participant_pk>/remove/", views.participant_remove,
         name="participant_remove"),
    path("shared/<int:pk>/parts/", views.part_link, name="part_link"),
    path("shared/<int:pk>/documents/", views.document_upload, name="document_upload"),
    path("shared/<int:pk>/documents/<int:document_pk>/", views.document_download, name="document_download"),
    path("rulesets/", views.rulesets_page, name="rulesets"),
]
