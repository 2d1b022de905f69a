from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from dropline.api.api import api
from dropline.core import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("_allauth/", include("allauth.headless.urls")),
    path("api/v1/", api.urls),
    path("backoffice/admin/", admin.site.urls),
    path("backoffice/", include("dropline.backoffice.urls")),
    path("notifications/", include("dropline.portal.notification_urls")),
    path("", include("dropline.portal.urls")),
]
