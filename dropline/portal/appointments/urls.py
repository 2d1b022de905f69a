"""Technician visits under /appointments/: the list, booking, a visit's page with its
live status and calendar file, rescheduling and canceling."""

from django.urls import path

from dropline.portal.appointments import views

app_name = "appointments"

urlpatterns = [
    path("", views.index, name="index"),
    path("book/", views.book, name="book"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/tracking/", views.tracking, name="tracking"),
    path("<int:pk>/visit.ics", views.ics, name="ics"),
    path("<int:pk>/reschedule/", views.reschedule, name="reschedule"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
]
