"""Getting a login, under /account/ (namespace ``accounts_portal``, shared with people:
``dropline.portal.urls`` puts both in it)."""

from django.urls import path

from dropline.portal.claiming import views

urlpatterns = [
    path("claim/", views.claim, name="claim"),
    path("invitation/", views.invitation, name="invitation"),
]
