from django.contrib.auth import views as auth
from django.urls import path, reverse_lazy

from . import views
from .forms import PasswordResetForm
from .rate_limits import ACCOUNT_REQUEST, PASSWORD_RESET, SIGN_IN, rate_limited

app_name = "accounts"

urlpatterns = [
    path(
        "login/",
        rate_limited(SIGN_IN)(auth.LoginView.as_view(template_name="accounts/login.html")),
        name="login",
    ),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth.PasswordChangeView.as_view(
            template_name="accounts/password_change.html",
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "password/done/",
        auth.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        rate_limited(PASSWORD_RESET)(
            auth.PasswordResetView.as_view(
                form_class=PasswordResetForm,
                template_name="accounts/password_reset.html",
                email_template_name="emails/password_reset.txt",
                subject_template_name="emails/password_reset_subject.txt",
                success_url=reverse_lazy("accounts:password_reset_done"),
            )
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("request/", rate_limited(ACCOUNT_REQUEST)(views.account_request), name="request"),
    path("api-token/", views.api_token, name="api_token"),
    path("language/", views.language, name="language"),
]
