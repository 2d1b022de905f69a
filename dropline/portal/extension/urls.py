"""A later date to pay the open bill by, under /billing/extension/."""

from django.urls import path

from dropline.portal.extension import views

app_name = "extension"

urlpatterns = [path("", views.extension, name="ask")]
