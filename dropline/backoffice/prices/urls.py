from django.urls import path

from dropline.backoffice.prices import views

urlpatterns = [
    path("prices/", views.prices, name="prices"),
    path("prices/scheduled/<int:pk>/", views.scheduled_price, name="scheduled_price"),
    path(
        "prices/scheduled/<int:pk>/progress/",
        views.scheduled_price_progress,
        name="scheduled_price_progress",
    ),
    path(
        "prices/scheduled/<int:pk>/cancel/",
        views.scheduled_price_cancel,
        name="scheduled_price_cancel",
    ),
    path("prices/<slug:kind>/<int:pk>/", views.price_item, name="price_item"),
    path("prices/<slug:kind>/<int:pk>/schedule/", views.price_schedule, name="price_schedule"),
]
