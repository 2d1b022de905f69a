from django.urls import path

from dropline.backoffice.collections import views

urlpatterns = [
    path("collections/", views.collection_list, name="collections"),
    path(
        "collections/<str:number>/suspend/",
        views.suspension,
        {"action": "suspend"},
        name="collections_suspend",
    ),
    path(
        "collections/<str:number>/restore/",
        views.suspension,
        {"action": "restore"},
        name="collections_restore",
    ),
]
