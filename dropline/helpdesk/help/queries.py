"""Reads of the help centre. Customers only ever see published articles; staff lists
read everything."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import translation

from dropline.helpdesk.models import Article, ArticleStatus, HelpTopic

FALLBACK_LANGUAGE = "en"


def published(language: str) -> QuerySet[Article]:
    return Article.objects.filter(language=language, status=ArticleStatus.PUBLISHED)


def published_article(*, slug: str, language: str) -> Article | None:
    return published(language).filter(slug=slug).first()


def article_for_reader(*, slug: str, language: str) -> Article | None:
    """The article in the reader's language, or in English when it has no translation."""
    found = published_article(slug=slug, language=language)
    if found is None and language != FALLBACK_LANGUAGE:
        found = published_article(slug=slug, language=FALLBACK_LANGUAGE)
    return found


def articles_by_topic(*, topic: str, language: str) -> list[Article]:
    return list(published(language).filter(topic=topic).order_by("position", "published_title"))


def related_articles(article: Article) -> list[Article]:
    """The published articles it names as related, in its own language."""
    return list(
        article.related.filter(language=article.language, status=ArticleStatus.PUBLISHED).order_by(
            "topic", "position"
        )
    )


@dataclass(frozen=True)
class TopicCount:
    topic: str
    label: str
    count: int


def topic_counts(*, language: str) -> list[TopicCount]:
    """Every topic with published articles in ``language``, in the topics' order, with
    how many, named in that language."""
    counts = dict(
        published(language).values_list("topic").annotate(n=Count("id")).values_list("topic", "n")
    )
    with translation.override(language):
        return [
            TopicCount(topic=value, label=str(label), count=counts[value])
            for value, label in HelpTopic.choices
            if counts.get(value)
        ]


def popular_articles(*, language: str, limit: int = 5) -> list[Article]:
    """The articles most found helpful."""
    return list(published(language).order_by("-helpful_count", "topic", "position")[:limit])


def staff_articles(*, topic: str = "", language: str = "", status: str = "") -> QuerySet[Article]:
    """Every article for the back-office list, filtered."""
    rows = Article.objects.select_related("updated_by").order_by("topic", "position", "slug")
    if topic in HelpTopic.values:
        rows = rows.filter(topic=topic)
    if language in [code for code, _name in settings.LANGUAGES]:
        rows = rows.filter(language=language)
    if status in ArticleStatus.values:
        rows = rows.filter(status=status)
    return rows


def staff_article(*, article_id: int) -> Article | None:
    return Article.objects.filter(pk=article_id).select_related("updated_by").first()
