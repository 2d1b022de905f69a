from django.urls import path

from dropline.backoffice.equipment import views

urlpatterns = [
    path("equipment/", views.lookup, name="equipment"),
    path("equipment/<int:equipment_id>/", views.device, name="equipment_device"),
    path("equipment/<int:equipment_id>/restart/", views.restart, name="equipment_restart"),
    path("equipment/<int:equipment_id>/wifi/", views.change_wifi, name="equipment_wifi"),
    path("equipment/<int:equipment_id>/link/", views.link, name="equipment_link"),
]
