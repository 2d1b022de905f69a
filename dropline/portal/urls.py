"""Every page of the customer portal: one include per feature, with its path prefix and
URL namespace. ``dropline.urls`` takes these patterns once, before allauth's.

Two namespaces hold more than one feature, so their names stay as they were:
``accounts_portal`` (claiming and people, composed here) and ``notifications``
(notifications and contacts, composed in ``dropline.portal.notifications.urls``)."""

from django.urls import include, path

from dropline.portal.claiming import urls as claiming_urls
from dropline.portal.factors import views as factor_views
from dropline.portal.people import urls as people_urls

urlpatterns = [
    # Dropline's own pages for managing second factors stand in front of allauth's
    # (``dropline.urls`` puts these before ``allauth.urls``).
    path("accounts/2fa/", factor_views.manage),
    path("accounts/2fa/totp/deactivate/", factor_views.remove_authenticator_app),
    path("accounts/2fa/webauthn/keys/<int:pk>/remove/", factor_views.remove_passkey),
    path("accounts/2fa/more/", include("dropline.portal.factors.urls")),
    path("accounts/recover/", include("dropline.portal.recovery.urls")),
    # Getting a login and the people on an account share the /account/ namespace.
    path(
        "account/",
        include((claiming_urls.urlpatterns + people_urls.urlpatterns, "accounts_portal")),
    ),
    path("billing/autopay/", include("dropline.portal.autopay.urls")),
    path("billing/extension/", include("dropline.portal.extension.urls")),
    path("billing/disputes/", include("dropline.portal.disputes.urls")),
    path("billing/methods/", include("dropline.portal.payment_methods.urls")),
    path("billing/", include("dropline.portal.payments.urls")),
    path("billing/", include("dropline.portal.billing.urls")),
    path("channels/", include("dropline.portal.channels.urls")),
    path("connection-check/", include("dropline.portal.connection_check.urls")),
    path("notifications/", include("dropline.portal.notifications.urls")),
    path("orders/", include("dropline.portal.orders.urls")),
    path("plans/", include("dropline.portal.plans.urls")),
    path("security/activity/", include("dropline.portal.security_activity.urls")),
    path("security/", include("dropline.portal.security.urls")),
    path("services/", include("dropline.portal.changes.urls")),
    path("services/", include("dropline.portal.services.urls")),
    path("usage/", include("dropline.portal.usage.urls")),
    path("equipment/", include("dropline.portal.equipment.urls")),
    path("outages/", include("dropline.portal.outages.urls")),
    # The public status page: no sign-in, no account's data, cacheable.
    path("status/", include("dropline.portal.status.urls")),
    path("speed-test/", include("dropline.portal.speed_test.urls")),
    path("appointments/", include("dropline.portal.appointments.urls")),
    # The guided troubleshooter, before the help centre's /support/.
    path("support/troubleshoot/", include("dropline.portal.troubleshooter.urls")),
    path("support/tickets/", include("dropline.portal.tickets.urls")),
    # The help centre and support hub: public. ``support/tickets/`` and
    # ``support/troubleshoot/`` go before it.
    path("support/", include("dropline.portal.help.urls")),
    # The installable app at the root: manifest, service worker (its scope is its
    # folder, so the whole site) and the offline page. Public, no account's data.
    path("", include("dropline.portal.pwa.urls")),
    path("", include("dropline.portal.overview.urls")),
]
