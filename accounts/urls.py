from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("security/", views.security, name="security"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("otp/setup/", views.otp_setup, name="otp_setup"),
    path("otp/verify/", views.otp_verify, name="otp_verify"),
    path("otp/disable/", views.otp_disable, name="otp_disable"),
    path("keepalive/", views.keepalive, name="keepalive"),
    path("staff/", views.staff_accounts, name="staff_accounts"),
    path("staff/<int:user_id>/unlock/", views.staff_unlock, name="staff_unlock"),
    path("staff/<int:user_id>/active/", views.staff_active, name="staff_active"),
    path("staff/<int:user_id>/otp-reset/", views.staff_otp_reset, name="staff_otp_reset"),
]
