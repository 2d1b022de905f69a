from django.urls import path

from dropline.backoffice.customers import views

urlpatterns = [
    path("", views.search, name="search"),
    path("customers/<str:number>/", views.customer_detail, name="customer"),
]
