from django.urls import path

from dropline.backoffice.customers import views

urlpatterns = [
    path("customers/<str:number>/", views.customer_detail, name="customer"),
    path("customers/<str:number>/notes/", views.add_customer_note, name="customer_note_add"),
]
