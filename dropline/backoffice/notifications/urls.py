from django.urls import path

from dropline.backoffice.notifications import views

urlpatterns = [
    path("messages/", views.message_log, name="messages"),
    path("messages/<int:pk>/", views.message_detail, name="message"),
    path("sms/", views.sms_inbox, name="sms_inbox"),
    path("templates/", views.template_preview, name="template_preview"),
]
