"""The connection check under /connection-check/."""

from django.urls import path

from dropline.portal.connection_check import views

app_name = "connection_check"

urlpatterns = [
    path("", views.index, name="index"),
]
