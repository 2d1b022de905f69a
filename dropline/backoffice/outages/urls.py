from django.urls import path

from dropline.backoffice.outages import views

urlpatterns = [
    path("outages/", views.outage_list, name="outages"),
    path("outages/new/", views.outage_new, name="outage_new"),
    path("outages/<int:outage_id>/", views.outage_detail, name="outage"),
    path("outages/<int:outage_id>/update/", views.outage_update, name="outage_update"),
    path("outages/<int:outage_id>/resolve/", views.outage_resolve, name="outage_resolve"),
    path("outages/<int:outage_id>/cancel/", views.outage_cancel, name="outage_cancel"),
]
