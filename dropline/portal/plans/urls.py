"""The plans on sale at the account's service address, and every internet plan's
broadband facts label (public: the FCC requires it at the point of sale)."""

from django.urls import path

from dropline.portal.plans import views

app_name = "plans"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:code>/label/", views.label, name="label"),
]
