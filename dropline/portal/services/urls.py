"""My services: every service on the account being looked at, under /services/."""

from django.urls import path

from dropline.portal.services import views

app_name = "services"

urlpatterns = [
    path("", views.services, name="index"),
]
