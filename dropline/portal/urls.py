"""Every page of the customer portal: one include per feature, with its path prefix and
URL namespace. ``dropline.urls`` includes this module once."""

from django.urls import include, path

from dropline.portal.claiming import urls as claiming_urls
from dropline.portal.people import urls as people_urls

urlpatterns = [
    # Getting a login and the people on an account share the /account/ namespace.
    path(
        "account/",
        include((claiming_urls.urlpatterns + people_urls.urlpatterns, "accounts_portal")),
    ),
    path("", include("dropline.portal.overview.urls")),
]
