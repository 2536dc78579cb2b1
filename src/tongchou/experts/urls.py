from django.urls import path

from tongchou.experts import views

app_name = "experts"

urlpatterns = [
    path("", views.pool, name="pool"),
    path("new/", views.expert_new, name="new"),
    path("import/", views.pool_import, name="import"),
    path("export.xlsx", views.pool_export, name="export"),
    path("<int:pk>/", views.expert_detail, name="detail"),
    path("draws/", views.draws, name="draws"),
    path("draws/new/", views.draw_new, name="draw_new"),
    path("draws/<int:pk>/", views.draw_detail, name="draw"),
    path("draws/<int:pk>/<slug:action>/", views.draw_action, name="draw_action"),
    path("members/<int:pk>/<slug:action>/", views.member_action, name="member_action"),
    path("me/", views.me, name="me"),
    path("fees/", views.fees, name="fees"),
    path("fees/export.xlsx", views.fees_export, name="fees_export"),
]
