"""Customer-facing notification pages (notification center, settings, unsubscribe), under
/notifications/. The contact pages share the namespace (``dropline.portal.contacts.urls``),
and so do the push notification devices (``dropline.portal.push.urls``)."""

from django.urls import path

from dropline.portal.contacts import urls as contacts_urls
from dropline.portal.notifications import views
from dropline.portal.push import urls as push_urls

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read/", views.mark_all_read, name="mark_all_read"),
    path("<int:message_id>/read/", views.mark_read, name="mark_read"),
    path("settings/", views.preferences, name="preferences"),
    path("settings/quiet-hours/", views.quiet_hours, name="quiet_hours"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    *contacts_urls.urlpatterns,
    *push_urls.urlpatterns,
]
