from django.urls import path

from tongchou.reviews import views

app_name = "reviews"

urlpatterns = [
    path("", views.desk, name="desk"),
    path("rounds/<int:round_id>/", views.round_page, name="round"),
    path("tasks/<int:task_id>/opinion/", views.task_opinion, name="task_opinion"),
    path("tasks/<int:task_id>/supplement/", views.task_supplement, name="task_supplement"),
    path("supplements/<int:supplement_id>/answer/", views.supplement_answer_view, name="supplement_answer"),
    path("tasks/<int:task_id>/attachments/<int:attachment_id>/", views.opinion_attachment_download,
         name="opinion_attachment"),
    path("tasks/<int:task_id>/attachments/<int:attachment_id>/remove/", views.opinion_attachment_remove,
         name="opinion_attachment_remove"),
    path("supplements/<int:supplement_id>/attachments/<int:attachment_id>/", views.supplement_attachment_download,
         name="supplement_attachment"),
    path("supplements/<int:supplement_id>/attachments/<int:attachment_id>/remove/",
         views.supplement_attachment_remove, name="supplement_attachment_remove"),
    path("rounds/<int:round_id>/exception-document/", views.exception_document_download,
         name="exception_document"),
    path("rounds/<int:round_id>/experts/", views.expert_record, name="expert_record"),
    path("rounds/<int:round_id>/consolidation/", views.consolidation_page, name="consolidation"),
    path("rounds/<int:round_id>/consolidation.docx", views.consolidation_docx, name="consolidation_docx"),
    path("projects/<int:project_id>/", views.project_page, name="project"),
]
