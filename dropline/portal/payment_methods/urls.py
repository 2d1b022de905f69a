"""The customer's saved cards and bank accounts under /billing/methods/."""

from django.urls import path

from dropline.portal.payment_methods import views

app_name = "payment_methods"

urlpatterns = [
    path("", views.method_list, name="list"),
    path("add/", views.add, name="add"),
    path("simulator/", views.simulator, name="simulator"),
    path("<int:method_id>/remove/", views.remove, name="remove"),
    path("<int:method_id>/default/", views.make_default, name="make_default"),
]
