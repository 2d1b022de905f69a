from django.urls import path

from dropline.backoffice.announcements import views

urlpatterns = [
    path("announcements/", views.announcement_list, name="announcements"),
    path("announcements/new/", views.announcement_new, name="announcement_new"),
    path("announcements/<int:pk>/", views.announcement_detail, name="announcement"),
    path("announcements/<int:pk>/send/", views.announcement_send, name="announcement_send"),
    path(
        "announcements/<int:pk>/resolve/",
        views.announcement_resolve,
        name="announcement_resolve",
    ),
]
