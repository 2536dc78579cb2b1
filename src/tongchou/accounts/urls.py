from django.urls import include, path

from tongchou.accounts import manage_views, views

manage_patterns = [
    path("users/", manage_views.user_list, name="users"),
    path("users/new/", manage_views.user_new, name="user_new"),
    path("users/<int:pk>/", manage_views.user_detail, name="user"),
    path("users/<int:pk>/disable/", manage_views.user_disable, name="user_disable"),
    path("users/<int:pk>/enable/", manage_views.user_enable, name="user_enable"),
    path("users/<int:pk>/password/", manage_views.user_password_reset, name="user_password_reset"),
    path("users/<int:pk>/role/", manage_views.user_role, name="user_role"),
    path("users/<int:pk>/classified/", manage_views.user_classified, name="user_classified"),
    path("users/<int:pk>/totp/", manage_views.user_totp_reset, name="user_totp_reset"),
    path("users/<int:pk>/unlock/", manage_views.user_unlock, name="user_unlock"),
    path("security/", manage_views.security_settings, name="security"),
    path("organisations/", manage_views.organisation_list, name="organisations"),
    path("organisations/new/", manage_views.organisation_edit, name="organisation_new"),
    path("organisations/<int:pk>/", manage_views.organisation_edit, name="organisation"),
]

# Login pages keep their un-namespaced names (LOGIN_URL = "login"); management pages are "accounts:…".
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("otp/", views.otp_view, name="otp"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("manage/", include((manage_patterns, "accounts"))),
]
