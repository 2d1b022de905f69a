from django.urls import path

from dropline.backoffice.sign_in import views

urlpatterns = [
    path("login/", views.StaffLoginView.as_view(), name="login"),
]
