from django.urls import path

from dropline.backoffice.dispatch import views

urlpatterns = [
    path("dispatch/", views.board_view, name="dispatch"),
    path(
        "dispatch/visits/<int:appointment_id>/",
        views.appointment_view,
        name="dispatch_appointment",
    ),
    path(
        "dispatch/visits/<int:appointment_id>/assign/",
        views.assign_view,
        name="dispatch_assign",
    ),
    path(
        "dispatch/visits/<int:appointment_id>/status/",
        views.status_view,
        name="dispatch_status",
    ),
    path("dispatch/technicians/", views.technicians_view, name="dispatch_technicians"),
    path("dispatch/technicians/new/", views.technician_new_view, name="dispatch_technician_new"),
    path(
        "dispatch/technicians/<int:technician_id>/",
        views.technician_view,
        name="dispatch_technician",
    ),
    path("dispatch/capacity/", views.templates_view, name="dispatch_templates"),
    path("dispatch/capacity/add/", views.template_add_view, name="dispatch_template_add"),
    path(
        "dispatch/capacity/<int:template_id>/",
        views.template_view,
        name="dispatch_template",
    ),
    path(
        "dispatch/capacity/<int:template_id>/remove/",
        views.template_remove_view,
        name="dispatch_template_remove",
    ),
    path("dispatch/exceptions/", views.exceptions_view, name="dispatch_exceptions"),
    path("dispatch/exceptions/add/", views.exception_add_view, name="dispatch_exception_add"),
    path(
        "dispatch/exceptions/<int:exception_id>/remove/",
        views.exception_remove_view,
        name="dispatch_exception_remove",
    ),
]
