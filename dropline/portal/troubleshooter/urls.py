"""The guided troubleshooter under /support/troubleshoot/."""

from django.urls import path

from dropline.portal.troubleshooter import views

app_name = "troubleshooter"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.run, name="run"),
]
