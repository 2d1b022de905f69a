"""Getting back in without the password, under /accounts/recover/."""

from django.urls import path

from dropline.notifications.categories import Channel
from dropline.portal.recovery import views

app_name = "recovery"

urlpatterns = [
    # The reset page is allauth's (/accounts/password/reset/); its form posts here.
    path("email/", views.reset_email_request, name="reset_email_request"),
    path(
        "email/code/",
        views.reset_code,
        {"channel": Channel.EMAIL.value},
        name="reset_email_code",
    ),
    path("text/", views.reset_code_request, name="reset_code_request"),
    path("text/code/", views.reset_code, {"channel": Channel.SMS.value}, name="reset_code"),
    path("done/", views.reset_done, name="reset_done"),
    path("username/", views.username_reminder, name="username_reminder"),
    path("username/sent/", views.username_reminder_sent, name="username_reminder_sent"),
]
