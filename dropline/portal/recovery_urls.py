"""Getting back in without the password, under /accounts/recover/."""

from django.urls import path

from dropline.portal import recovery_views

app_name = "recovery"

urlpatterns = [
    path("text/", recovery_views.reset_code_request, name="reset_code_request"),
    path("text/code/", recovery_views.reset_code, name="reset_code"),
    path("text/done/", recovery_views.reset_code_done, name="reset_code_done"),
    path("username/", recovery_views.username_reminder, name="username_reminder"),
    path("username/sent/", recovery_views.username_reminder_sent, name="username_reminder_sent"),
]
