"""Comparing and changing plans and add-ons, under /services/ (namespace ``changes``):
the compare page of a service, the preview of a change with its Confirm button, a
service's add-ons, the paid extras and the mobile lines."""

from django.urls import path

from dropline.portal.changes import views

app_name = "changes"

urlpatterns = [
    path("extras/", views.extras, name="extras"),
    path("lines/", views.lines, name="lines"),
    path("<int:subscription_id>/change/", views.compare, name="compare"),
    path("<int:subscription_id>/change/<slug:plan_code>/", views.change_plan, name="plan"),
    path("<int:subscription_id>/add-ons/", views.add_ons, name="add_ons"),
    path(
        "<int:subscription_id>/add-ons/<slug:add_on_code>/add/",
        views.add_add_on,
        name="add_add_on",
    ),
    path(
        "<int:subscription_id>/add-ons/<slug:add_on_code>/remove/",
        views.remove_add_on,
        name="remove_add_on",
    ),
]
