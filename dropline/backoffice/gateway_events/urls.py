from django.urls import path

from dropline.backoffice.gateway_events import views

urlpatterns = [
    path("gateway-events/", views.event_list, name="gateway_events"),
    path("gateway-events/<int:event_pk>/", views.event_detail, name="gateway_event"),
]
