"""The customer's equipment under /equipment/: status, restart and Wi-Fi."""

from django.urls import path

from dropline.portal.equipment import views

app_name = "equipment"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:equipment_id>/", views.device, name="device"),
    path("<int:equipment_id>/restart/", views.restart, name="restart"),
    path(
        "<int:equipment_id>/restart/<int:action_id>/",
        views.restart_progress,
        name="restart_progress",
    ),
    path(
        "<int:equipment_id>/restart/<int:action_id>/status/",
        views.restart_status,
        name="restart_status",
    ),
    path("<int:equipment_id>/wifi/", views.wifi_settings, name="wifi"),
]
