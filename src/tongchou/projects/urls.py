from django.urls import path

from tongchou.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.register, name="register"),
    path("new/", views.project_new, name="new"),
    path("splits/", views.split_list, name="splits"),
    path("assess/", views.project_assess_live, name="assess_new"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/assess/", views.project_assess_live, name="assess"),
    path("<int:pk>/submit/", views.project_submit_view, name="submit"),
    path("<int:pk>/decide/<slug:action>/", views.project_decide_view, name="decide"),
    path("<int:pk>/reapply/", views.project_reapply_view, name="reapply"),
    path("<int:pk>/splits/<int:finding_pk>/judge/", views.split_judge_view, name="split_judge"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="attachment_download"),
]
