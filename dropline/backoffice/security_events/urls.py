from django.urls import path

from dropline.backoffice.security_events import views

urlpatterns = [
    path("security-events/", views.search, name="security_events"),
]
