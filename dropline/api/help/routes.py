"""Help articles: the list (or search results) and one article, in a language. Open to
anyone, as the help pages are: they read published articles only, never an account."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import get_language
from ninja import Query, Router

from dropline.api.errors import FieldError
from dropline.api.help.schemas import (
    ArticleOut,
    ArticlesOut,
    ArticlesQuery,
    ArticleSummaryOut,
    LanguageQuery,
    RelatedOut,
)
from dropline.api.schemas import ErrorOut, InvalidInputOut
from dropline.helpdesk.help import queries
from dropline.helpdesk.help.rendering import render
from dropline.helpdesk.help.search import search
from dropline.helpdesk.models import Article, HelpTopic

router = Router(tags=["help"])

LIMIT = 20
BAD_INPUT = {400: InvalidInputOut, 422: InvalidInputOut}


def _language(asked: str) -> str:
    codes = [code for code, _name in settings.LANGUAGES]
    if not asked:
        current = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
        return current if current in codes else settings.LANGUAGE_CODE
    if asked not in codes:
        raise FieldError("language", f"Use one of: {', '.join(codes)}.")
    return asked


def _url(slug: str, language: str) -> str:
    return f"{reverse('help:article', args=[slug])}?lang={language}"


def _summary(article: Article) -> ArticleSummaryOut:
    return ArticleSummaryOut(
        slug=article.slug,
        language=article.language,
        title=article.published_title,
        summary=article.published_summary,
        topic=article.topic,
        topic_label=str(HelpTopic(article.topic).label),
        snippet="",
        url=_url(article.slug, article.language),
    )


@router.get(
    "/help/articles",
    response={200: ArticlesOut, **BAD_INPUT},
    summary="Help articles: search them with `q`, or list them (by topic)",
    auth=None,
)
def articles(request: HttpRequest, query: Query[ArticlesQuery]) -> ArticlesOut:
    """The published articles in the reader's language: those matching `q` (best first),
    or all of them (of one `topic`). No sign-in needed."""
    language = _language(query.language)
    topic = query.topic
    if topic and topic not in HelpTopic.values:
        raise FieldError("topic", f"Use one of: {', '.join(HelpTopic.values)}.")
    words = query.q.strip()
    if words:
        found = [
            ArticleSummaryOut(
                slug=hit.slug,
                language=hit.language,
                title=hit.title,
                summary=hit.summary,
                topic=hit.topic,
                topic_label=str(HelpTopic(hit.topic).label),
                snippet=hit.snippet,
                url=_url(hit.slug, hit.language),
            )
            for hit in search(query=words, language=language, limit=LIMIT, topic=topic)
        ]
    else:
        listed = queries.published(language).order_by("topic", "position", "slug")
        if topic:
            listed = listed.filter(topic=topic)
        found = [_summary(article) for article in listed]
    return ArticlesOut(query=words, language=language, count=len(found), articles=found)


@router.get(
    "/help/articles/{slug}",
    response={200: ArticleOut, 404: ErrorOut, **BAD_INPUT},
    summary="One help article, with its text as Markdown and as safe HTML",
    auth=None,
)
def article(request: HttpRequest, slug: str, query: Query[LanguageQuery]) -> ArticleOut:
    """One published article; 404 for a slug with none in that language. No sign-in needed."""
    language = _language(query.language)
    found = queries.article_for_reader(slug=slug, language=language)
    if found is None:
        raise Http404
    return ArticleOut(
        slug=found.slug,
        language=found.language,
        title=found.published_title,
        summary=found.published_summary,
        topic=found.topic,
        topic_label=str(HelpTopic(found.topic).label),
        updated_at=found.published_at.isoformat() if found.published_at else None,
        markdown=found.published_body,
        html=render(found.published_body),
        helpful_count=found.helpful_count,
        not_helpful_count=found.not_helpful_count,
        related=[
            RelatedOut(
                slug=other.slug, title=other.published_title, url=_url(other.slug, other.language)
            )
            for other in queries.related_articles(found)
        ],
        url=_url(found.slug, found.language),
    )
