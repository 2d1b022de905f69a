from django.urls import path

from dropline.backoffice.home import views

urlpatterns = [
    path("", views.home, name="home"),
    # The home is where staff search; the old name stays for links made with it.
    path("", views.home, name="search"),
]
