from django.urls import path

from dropline.backoffice.disputes import views

urlpatterns = [
    path("disputes/", views.queue, name="disputes"),
    path("disputes/<int:dispute_id>/", views.dispute, name="dispute"),
    path("disputes/<int:dispute_id>/assign/", views.assign_to_me, name="dispute_assign"),
    path("disputes/<int:dispute_id>/messages/", views.message, name="dispute_message"),
    path("disputes/<int:dispute_id>/credit/", views.credit, name="dispute_credit"),
    path("disputes/<int:dispute_id>/reject/", views.rejection, name="dispute_reject"),
    path(
        "disputes/<int:dispute_id>/files/<int:attachment_id>/",
        views.attachment,
        name="dispute_file",
    ),
]
