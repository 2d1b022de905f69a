""" "Is there an outage?" under /outages/: what is going on at the service address, and
"tell me when it's fixed"."""

from django.urls import path

from dropline.portal.outages import views

app_name = "outages"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:outage_id>/watch/", views.watch, name="watch"),
    path("<int:outage_id>/unwatch/", views.unwatch, name="unwatch"),
]
