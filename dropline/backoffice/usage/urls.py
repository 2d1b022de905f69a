from django.urls import path

from dropline.backoffice.usage import views

urlpatterns = [
    path("usage/accounts/<str:number>/", views.account_usage, name="usage_account"),
    path("usage/accounts/<str:number>/credit/", views.credit, name="usage_credit"),
    path(
        "usage/accounts/<str:number>/sessions/<int:session_id>/",
        views.session_detail,
        name="usage_session",
    ),
]
