"""The help centre under /support/: the hub, search, topics and articles. Public."""

from django.urls import path

from dropline.portal.help import views

app_name = "help"

urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("topics/<slug:topic>/", views.topic, name="topic"),
    path("articles/<slug:slug>/", views.article, name="article"),
    path("articles/<slug:slug>/feedback/", views.feedback, name="feedback"),
]
