"""The customer's disputes under /billing/disputes/. The invoice page links each charge
to ``disputes:new`` (``?invoice=<number>&line=<id>``); the messages link to a dispute."""

from django.urls import path

from dropline.portal.disputes import views

app_name = "disputes"

urlpatterns = [
    path("", views.dispute_list, name="list"),
    path("new/", views.new, name="new"),
    path("<int:dispute_id>/", views.dispute, name="dispute"),
    path("<int:dispute_id>/reply/", views.reply, name="reply"),
    path("<int:dispute_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:dispute_id>/files/<int:attachment_id>/", views.attachment, name="attachment"),
]
