"""The channel finder under /channels/."""

from django.urls import path

from dropline.portal.channels import views

app_name = "channels"

urlpatterns = [
    path("", views.channels, name="index"),
]
