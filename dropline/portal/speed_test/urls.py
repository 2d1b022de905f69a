"""The speed test under /speed-test/: the page, starting a test, the endpoints it
measures against, and its result."""

from django.urls import path

from dropline.portal.speed_test import transfer, views

app_name = "speed_test"

urlpatterns = [
    path("", views.index, name="index"),
    path("start/", views.start, name="start"),
    path("result/", views.result, name="result"),
    path("ping/", transfer.ping, name="ping"),
    path("download/", transfer.download, name="download"),
    path("upload/", transfer.upload, name="upload"),
]
