"""The account's orders under /orders/: the history, one order, and cancelling a
pending one (namespace ``orders``)."""

from django.urls import path

from dropline.portal.orders import views

app_name = "orders"

urlpatterns = [
    path("", views.history, name="index"),
    path("<int:order_id>/", views.order, name="order"),
    path("<int:order_id>/cancel/", views.cancel, name="cancel"),
]
