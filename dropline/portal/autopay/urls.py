"""The customer's autopay under /billing/autopay/ (``autopay:manage``: the billing
overview's "Set up autopay" link)."""

from django.urls import path

from dropline.portal.autopay import views

app_name = "autopay"

urlpatterns = [path("", views.manage, name="manage")]
