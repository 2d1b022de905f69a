"""Customer-facing notification pages (contacts, preferences, notification centre, unsubscribe)."""

from django.urls import path

from dropline.portal import notification_views as views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read/", views.mark_all_read, name="mark_all_read"),
    path("<int:message_id>/read/", views.mark_read, name="mark_read"),
    path("contacts/", views.contacts, name="contacts"),
    path("contacts/add/", views.add_contact, name="add_contact"),
    path("contacts/<int:contact_id>/verify/", views.verify_contact, name="verify_contact"),
    path("contacts/<int:contact_id>/resend/", views.resend_code, name="resend_code"),
    path("contacts/<int:contact_id>/primary/", views.make_primary, name="make_primary"),
    path("contacts/<int:contact_id>/remove/", views.remove_contact, name="remove_contact"),
    path("settings/", views.preferences, name="preferences"),
    path("settings/quiet-hours/", views.quiet_hours, name="quiet_hours"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
