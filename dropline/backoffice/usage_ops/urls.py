from django.urls import path

from dropline.backoffice.usage_ops import collectors, imports, status, usernames

urlpatterns = [
    path("usage/", status.usage_ops, name="usage_ops"),
    path("usage/status/", status.usage_status, name="usage_status"),
    path("usage/status/figures/", status.usage_status_figures, name="usage_status_figures"),
    path("usage/collectors/", collectors.collector_list, name="usage_collectors"),
    path("usage/collectors/add/", collectors.collector_add, name="usage_collector_add"),
    path(
        "usage/collectors/<int:collector_id>/revoke/",
        collectors.collector_revoke,
        name="usage_collector_revoke",
    ),
    path("usage/files/", imports.usage_imports, name="usage_imports"),
    path("usage/unknown-usernames/", usernames.unknown_usernames, name="usage_unknown"),
    path("usage/unknown-usernames/assign/", usernames.assign_username, name="usage_assign"),
    path(
        "usage/services/<int:subscription_id>/username/",
        usernames.service_username,
        name="usage_service_username",
    ),
]
