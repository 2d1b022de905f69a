"""The public status page under /status/: no sign-in, no customer data."""

from django.urls import path

from dropline.portal.status import views

app_name = "status"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:code>/", views.area, name="area"),
]
