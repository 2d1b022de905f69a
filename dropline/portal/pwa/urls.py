"""The installable app at the site's root: a service worker's scope is the folder of its
script, so ``/sw.js`` covers every page."""

from django.urls import path

from dropline.portal.pwa import views

app_name = "pwa"

urlpatterns = [
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("offline/", views.offline, name="offline"),
]
