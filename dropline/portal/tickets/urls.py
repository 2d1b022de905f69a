"""The customer's support requests under /support/tickets/. The help hub links to
``tickets:index``; a page may link to ``tickets:new`` with ``?category=&subject=``."""

from django.urls import path

from dropline.portal.tickets import views

app_name = "tickets"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("<int:ticket_id>/", views.detail, name="detail"),
    path("<int:ticket_id>/updates/", views.updates, name="updates"),
    path("<int:ticket_id>/reply/", views.reply, name="reply"),
    path("<int:ticket_id>/close/", views.close, name="close"),
    path("<int:ticket_id>/rate/", views.rate, name="rate"),
    path(
        "<int:ticket_id>/attachments/<int:attachment_id>/",
        views.attachment,
        name="attachment",
    ),
]
