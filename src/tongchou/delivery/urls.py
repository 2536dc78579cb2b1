from django.urls import path

from tongchou.delivery import views

app_name = "delivery"

urlpatterns = [
    path("projects/<int:pk>/delivery/", views.project_delivery, name="project"),
    # One route per form of the page (tongchou.delivery.page_actions.ACTIONS); each POST is one service call.
    path("projects/<int:pk>/delivery/milestones/<int:obj_id>/done/", views.act, {"action": "milestone-done"},
         name="milestone_done"),
    path("projects/<int:pk>/delivery/om-requests/<int:obj_id>/decision/", views.act, {"action": "om-decision"},
         name="om_request_decision"),
    path("projects/<int:pk>/delivery/systems/<int:obj_id>/", views.act, {"action": "system-edit"},
         name="system_edit"),
    path("projects/<int:pk>/delivery/<slug:action>/", views.act, name="act"),
    # A row's form on the 安全与密码 tab (整改报告, 验收整改, 密评意见): the action names it, the id is the row's.
    path("projects/<int:pk>/delivery/<slug:action>/<int:obj_id>/", views.act, name="act_on"),
    path("inventory/", views.inventory, name="inventory"),
]
