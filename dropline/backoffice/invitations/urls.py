from django.urls import path

from dropline.backoffice.invitations import views

urlpatterns = [
    path(
        "customers/<str:number>/invitation-codes/",
        views.invitation_codes,
        name="invitation_codes",
    ),
    path(
        "customers/<str:number>/invitation-codes/<int:invitation_id>/revoke/",
        views.revoke_invitation_code,
        name="revoke_invitation_code",
    ),
]
