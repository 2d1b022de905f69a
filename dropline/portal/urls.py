"""Every page of the customer portal: one include per feature, with its path prefix and
URL namespace. ``dropline.urls`` includes this module once."""

from django.urls import include, path

from dropline.portal.claiming import urls as claiming_urls
from dropline.portal.people import urls as people_urls

urlpatterns = [
    path("accounts/recover/", include("dropline.portal.recovery.urls")),
    # Getting a login and the people on an account share the /account/ namespace.
    path(
        "account/",
        include((claiming_urls.urlpatterns + people_urls.urlpatterns, "accounts_portal")),
    ),
    path("security/activity/", include("dropline.portal.security_activity.urls")),
    path("security/", include("dropline.portal.security.urls")),
    path("", include("dropline.portal.overview.urls")),
]
