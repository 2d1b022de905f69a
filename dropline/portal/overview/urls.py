"""The overview (the home page) and switching the account being looked at."""

from django.urls import path

from dropline.portal.overview import views

app_name = "portal"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("account/switch/", views.switch_account, name="switch_account"),
]
