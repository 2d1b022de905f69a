"""The customer's data usage under /usage/: the meters, and each service's charts as
pictures (the page shows the same figures in tables)."""

from django.urls import path

from dropline.portal.usage import views

app_name = "usage"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:subscription_id>/daily.svg", views.daily_chart, name="daily_chart"),
    path("<int:subscription_id>/history.svg", views.history_chart, name="history_chart"),
]
