from django.urls import path

from dropline.backoffice.my_visits import views

urlpatterns = [
    path("my-visits/", views.my_visits_view, name="my_visits"),
    path(
        "my-visits/<int:appointment_id>/step/",
        views.step_view,
        name="my_visits_step",
    ),
]
