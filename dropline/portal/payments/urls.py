"""Paying the bill under /billing/: the pay page, a payment's receipt, the payments made
and scheduled. The receipt's path is part of the product: the receipt email links to
``/billing/payments/<confirmation number>/``."""

from django.urls import path

from dropline.portal.payments import views

app_name = "payments"

urlpatterns = [
    path("pay/", views.pay, name="pay"),
    path("payments/", views.payment_list, name="list"),
    path("payments/<str:confirmation_number>/", views.receipt, name="receipt"),
    path(
        "payments/scheduled/<int:scheduled_id>/cancel/",
        views.cancel_scheduled,
        name="cancel_scheduled",
    ),
]
