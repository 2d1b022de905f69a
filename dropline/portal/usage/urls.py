"""The customer's data usage under /usage/."""

from django.urls import path

from dropline.portal.usage import views

app_name = "usage"

urlpatterns = [
    path("", views.index, name="index"),
]
