from django.urls import path

from dropline.backoffice.help import views

urlpatterns = [
    path("help/articles/", views.article_list, name="help_articles"),
    path("help/articles/new/", views.article_new, name="help_article_new"),
    path("help/articles/<int:article_id>/", views.article_edit, name="help_article"),
    path(
        "help/articles/<int:article_id>/publish/",
        views.article_publish,
        name="help_article_publish",
    ),
    path(
        "help/articles/<int:article_id>/withdraw/",
        views.article_withdraw,
        name="help_article_withdraw",
    ),
]
