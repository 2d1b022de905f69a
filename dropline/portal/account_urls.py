"""Getting a login and managing the people on an account, under /account/."""

from django.urls import path

from dropline.portal import claim_views, people_views

app_name = "accounts_portal"

urlpatterns = [
    path("claim/", claim_views.claim, name="claim"),
    path("invitation/", claim_views.invitation, name="invitation"),
    path("people/", people_views.people, name="people"),
    path("people/invite/", people_views.invite, name="invite"),
    path(
        "people/invitations/<int:invitation_id>/revoke/",
        people_views.revoke,
        name="revoke_invitation",
    ),
    path("people/<int:member_id>/remove/", people_views.remove, name="remove_member"),
]
