"""Customer-facing notification pages (contacts, preferences, notification centre, unsubscribe)."""

from django.urls import path

app_name = "notifications"

urlpatterns: list = [
    path("unsubscribe/<str:token>/", lambda request, token: None, name="unsubscribe"),
]
