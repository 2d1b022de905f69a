from django.urls import path

from dropline.backoffice.payments import views

urlpatterns = [
    path("payments/", views.payment_search, name="payments"),
    path("payments/<str:confirmation>/", views.payment_detail, name="payment"),
    path("payments/<str:confirmation>/refund/", views.payment_refund, name="payment_refund"),
]
