"""Managing the people on an account, under /account/people/ (namespace ``accounts_portal``,
shared with claiming: ``dropline.portal.urls`` puts both in it)."""

from django.urls import path

from dropline.portal.people import views

urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/invite/", views.invite, name="invite"),
    path(
        "people/invitations/<int:invitation_id>/revoke/",
        views.revoke,
        name="revoke_invitation",
    ),
    path("people/<int:member_id>/remove/", views.remove, name="remove_member"),
    path(
        "people/<int:member_id>/service-changes/",
        views.service_changes,
        name="member_service_changes",
    ),
]
