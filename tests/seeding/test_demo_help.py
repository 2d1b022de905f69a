"""The demo's help centre: every shipped article published in both languages and found
by search (the copied demo too), a few helpful votes, and loading again adds nothing."""

from __future__ import annotations

import pytest

from dropline.helpdesk.help.search import search
from dropline.helpdesk.models import Article, ArticleFeedback, ArticleStatus
from dropline.seeding.demo import load_demo

pytestmark = pytest.mark.django_db


def test_the_shipped_articles_are_published_searchable_and_voted_on(demo):
    published = Article.objects.filter(status=ArticleStatus.PUBLISHED)
    assert published.filter(language="en").count() >= 20
    assert published.filter(language="es").count() == published.filter(language="en").count()
    assert search(query="restart modem", language="en")[0].slug == "restart-your-equipment"
    assert search(query="reiniciar módem", language="es")[0].slug == "restart-your-equipment"
    restart = Article.objects.get(slug="restart-your-equipment", language="en")
    assert (restart.helpful_count, restart.not_helpful_count) == (9, 1)
    votes = ArticleFeedback.objects.count()
    assert votes > 0
    assert load_demo() == 0
    assert ArticleFeedback.objects.count() == votes
    assert Article.objects.get(pk=restart.pk).helpful_count == 9
