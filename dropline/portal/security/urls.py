"""The customer's security pages, under /security/."""

from django.urls import path

from dropline.portal.security import views

app_name = "security"

urlpatterns = [
    path("", views.index, name="index"),
    path("sessions/", views.sessions, name="sessions"),
    path("sessions/end-others/", views.end_other_sessions, name="end_other_sessions"),
    path("sessions/<int:session_id>/end/", views.end_session, name="end_session"),
    path("sessions/trusted-browsers/forget/", views.forget_browsers, name="forget_browsers"),
]
