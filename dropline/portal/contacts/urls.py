"""The contact pages, under /notifications/contacts/. They keep their names in the
``notifications`` namespace: ``dropline.portal.notifications.urls`` includes these patterns."""

from django.urls import path

from dropline.portal.contacts import views

urlpatterns = [
    path("contacts/", views.contacts, name="contacts"),
    path("contacts/add/", views.add_contact, name="add_contact"),
    path("contacts/<int:contact_id>/verify/", views.verify_contact, name="verify_contact"),
    path("contacts/<int:contact_id>/resend/", views.resend_code, name="resend_code"),
    path("contacts/<int:contact_id>/primary/", views.make_primary, name="make_primary"),
    path("contacts/<int:contact_id>/remove/", views.remove_contact, name="remove_contact"),
]
