from django.urls import path

from dropline.backoffice.tickets import saved_replies, service_levels, views

urlpatterns = [
    path("tickets/", views.queue, name="tickets"),
    path("tickets/<int:ticket_id>/", views.ticket, name="ticket"),
    path("tickets/<int:ticket_id>/reply/", views.reply, name="ticket_reply"),
    path("tickets/<int:ticket_id>/note/", views.note, name="ticket_note"),
    path("tickets/<int:ticket_id>/assign/", views.assign, name="ticket_assign"),
    path("tickets/<int:ticket_id>/merge/", views.merge, name="ticket_merge"),
    path("tickets/<int:ticket_id>/escalate/", views.escalate, name="ticket_escalate"),
    path("tickets/<int:ticket_id>/close/", views.close, name="ticket_close"),
    path(
        "tickets/<int:ticket_id>/files/<int:file_id>/",
        views.attachment,
        name="ticket_file",
    ),
    path("tickets/saved-replies/", saved_replies.saved_replies, name="saved_replies"),
    path("tickets/saved-replies/new/", saved_replies.saved_reply_new, name="saved_reply_new"),
    path(
        "tickets/saved-replies/<int:saved_reply_id>/",
        saved_replies.saved_reply_edit,
        name="saved_reply_edit",
    ),
    path(
        "tickets/saved-replies/<int:saved_reply_id>/retire/",
        saved_replies.saved_reply_retire,
        name="saved_reply_retire",
    ),
    path("tickets/service-levels/", service_levels.service_levels, name="service_levels"),
    path(
        "tickets/service-levels/save/",
        service_levels.service_level_save,
        name="service_level_save",
    ),
]
