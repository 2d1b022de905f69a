"""The push notification devices, under /notifications/push/. They keep their names in
the ``notifications`` namespace: ``dropline.portal.notifications.urls`` includes these
patterns."""

from django.urls import path

from dropline.portal.push import views

urlpatterns = [
    path("push/", views.devices, name="push_devices"),
    path("push/subscribe/", views.subscribe, name="push_subscribe"),
    path("push/test/", views.send_test, name="push_test"),
    path(
        "push/<int:push_subscription_id>/remove/",
        views.remove,
        name="push_remove",
    ),
]
