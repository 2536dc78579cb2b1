from django.urls import path

from tongchou.reviews import views

urlpatterns = [
    path("", views.desk, name="review_desk"),
    path("rounds/<int:round_id>/", views.round_page, name="review_round"),
    path("tasks/<int:task_id>/opinion/", views.task_opinion, name="review_task_opinion"),
    path("tasks/<int:task_id>/supplement/", views.task_supplement, name="review_task_supplement"),
    path("supplements/<int:supplement_id>/answer/", views.supplement_answer_view, name="review_supplement_answer"),
    path("rounds/<int:round_id>/experts/", views.expert_record, name="review_expert_record"),
    path("rounds/<int:round_id>/consolidation/", views.consolidation_page, name="review_consolidation"),
    path("rounds/<int:round_id>/consolidation.docx", views.consolidation_docx, name="review_consolidation_docx"),
    path("projects/<int:project_id>/", views.project_page, name="review_project"),
]
