from django.urls import path

from dropline.backoffice import views

app_name = "backoffice"

urlpatterns = [
    path("", views.search, name="search"),
    path("login/", views.StaffLoginView.as_view(), name="login"),
    path("customers/<str:number>/", views.customer_detail, name="customer"),
]
