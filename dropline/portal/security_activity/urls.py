"""The customer's security activity, under /security/activity/."""

from django.urls import path

from dropline.portal.security_activity import views

app_name = "security_activity"

urlpatterns = [
    path("", views.index, name="index"),
]
