from django.urls import path

from dropline.backoffice.customers import views
from dropline.backoffice.invitations import views as invitation_views
from dropline.backoffice.notifications import views as notification_views
from dropline.backoffice.security_events import views as security_views

app_name = "backoffice"

urlpatterns = [
    path("", views.search, name="search"),
    path("login/", views.StaffLoginView.as_view(), name="login"),
    path("customers/<str:number>/", views.customer_detail, name="customer"),
    path(
        "customers/<str:number>/invitation-codes/",
        invitation_views.invitation_codes,
        name="invitation_codes",
    ),
    path(
        "customers/<str:number>/invitation-codes/<int:invitation_id>/revoke/",
        invitation_views.revoke_invitation_code,
        name="revoke_invitation_code",
    ),
    path("messages/", notification_views.message_log, name="messages"),
    path("messages/<int:pk>/", notification_views.message_detail, name="message"),
    path("sms/", notification_views.sms_inbox, name="sms_inbox"),
    path("announcements/", notification_views.announcement_list, name="announcements"),
    path("announcements/new/", notification_views.announcement_new, name="announcement_new"),
    path("announcements/<int:pk>/", notification_views.announcement_detail, name="announcement"),
    path(
        "announcements/<int:pk>/send/",
        notification_views.announcement_send,
        name="announcement_send",
    ),
    path(
        "announcements/<int:pk>/resolve/",
        notification_views.announcement_resolve,
        name="announcement_resolve",
    ),
    path("templates/", notification_views.template_preview, name="template_preview"),
    path("security-events/", security_views.search, name="security_events"),
]
