from django.urls import path

from tongchou.demand import views

app_name = "demand"

urlpatterns = [
    path("", views.calls, name="calls"),
    path("<int:pk>/", views.call_detail, name="call"),
    path("<int:pk>/template.xlsx", views.call_template, name="template"),
    path("<int:pk>/check/", views.need_check, name="check"),
    path("<int:pk>/upload/", views.needs_upload, name="upload"),
    path("<int:pk>/reopen/", views.call_reopen, name="reopen"),
    path("<int:pk>/findings/", views.findings, name="findings"),
    path("<int:pk>/plan/", views.plan, name="plan"),
    path("<int:pk>/plan/<slug:action>/", views.plan_action, name="plan_action"),
    path("<int:pk>/plan.xlsx", views.plan_export, name="plan_export"),
]
