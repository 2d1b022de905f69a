from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from dropline.api.api import api
from dropline.api.factors import routes as app_authenticators
from dropline.core import health
from dropline.operations import views as operations_views
from dropline.portal import urls as portal_urls

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", operations_views.metrics, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The customer portal, every feature with its own namespace, spliced in rather than
    # nested so each namespace stays at the top (a test's URLconf can take one away).
    # Its pages under accounts/ (Dropline's own second-factor pages, recovery) must come
    # before allauth's.
    *portal_urls.urlpatterns,
    path("accounts/", include("allauth.urls")),
    # ...and, for the mobile app, in front of allauth's removal of an app or passkeys.
    path("_allauth/app/v1/account/authenticators/totp", app_authenticators.manage_totp),
    path("_allauth/app/v1/account/authenticators/webauthn", app_authenticators.manage_webauthn),
    path("_allauth/", include("allauth.headless.urls")),
    path("api/v1/", api.urls),
    path("backoffice/admin/", admin.site.urls),
    path("backoffice/", include("dropline.backoffice.urls")),
]

handler429 = "dropline.portal.errors.too_many_requests"
