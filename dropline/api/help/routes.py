"""The help centre: the articles (a list or search results), one article and the topics,
in a language, open to anyone as the help pages are: they read published articles only,
never an account. "Was this helpful?" takes one answer per person, or per browser
session for a visitor signed out, as on the article's page (``helpdesk.help.feedback``)."""

from __future__ import annotations

from typing import Any

from allauth.headless.contrib.ninja.security import x_session_token_auth
from django.conf import settings
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.http import urlencode
from ninja import Query, Router, Status
from ninja.security import APIKeyCookie, django_auth

from dropline.api.errors import FieldError
from dropline.api.help.schemas import (
    ArticleOut,
    ArticlesOut,
    ArticlesQuery,
    ArticleSummaryOut,
    FeedbackIn,
    FeedbackOut,
    LanguageQuery,
    RelatedOut,
    TopicOut,
    TopicsOut,
)
from dropline.api.languages import answer_language
from dropline.api.schemas import ErrorOut, InvalidInputOut
from dropline.helpdesk.errors import SupportError
from dropline.helpdesk.help import feedback as voting
from dropline.helpdesk.help import queries
from dropline.helpdesk.help.rendering import render
from dropline.helpdesk.help.search import search
from dropline.helpdesk.models import Article, HelpTopic

router = Router(tags=["help"])

LIMIT = 20
BAD_INPUT = {400: InvalidInputOut, 422: InvalidInputOut}


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
    language = answer_language(query.language)
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
    language = answer_language(query.language)
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


@router.get(
    "/help/topics",
    response={200: TopicsOut, **BAD_INPUT},
    summary="Help topics, with how many articles each has",
    auth=None,
)
def topics(request: HttpRequest, query: Query[LanguageQuery]) -> TopicsOut:
    """The help center's topics as its hub lists them, named in `language`."""
    language = answer_language(query.language)
    lang = urlencode({"lang": language})
    return TopicsOut(
        language=language,
        topics=[
            TopicOut(
                topic=found.topic,
                label=found.label,
                article_count=found.count,
                url=f"{reverse('help:topic', args=[found.topic])}?{lang}",
            )
            for found in queries.topic_counts(language=language)
        ],
    )


class VisitorSession(APIKeyCookie):
    """A visitor who is not signed in, known by the browser session the help pages gave
    them (with its CSRF token, as any call on a browser session): the web's "Was this
    helpful?" counts a visitor's answer once per browser session. The API makes no session
    for anyone, so a caller with neither a sign-in nor such a session is refused (401)."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key: str | None) -> str | None:
        session_key = request.session.session_key
        if not key or not session_key or not request.session.exists(session_key):
            return None
        return session_key


visitor_session = VisitorSession()


@router.post(
    "/help/articles/{slug}/feedback",
    response={200: FeedbackOut, 404: ErrorOut, 429: ErrorOut, **BAD_INPUT},
    summary="Was this article helpful?",
    auth=[x_session_token_auth, django_auth, visitor_session],
)
def feedback(request: HttpRequest, slug: str, body: FeedbackIn) -> Any:
    """One answer per person (or, for a visitor signed out, per browser session of the
    help pages), counted once: answering again with the other answer moves the vote, the
    same answer changes nothing. 429 past 30 answers an hour."""
    language = answer_language(body.language)
    found = queries.article_for_reader(slug=slug, language=language)
    if found is None:
        raise Http404
    user = request.user
    try:
        counted = voting.vote(
            article_id=found.pk,
            voter=voting.voter(
                person_id=user.pk if user.is_authenticated else None,
                session_key=request.session.session_key,
            ),
            helpful=body.helpful,
        )
    except SupportError as refused:
        if refused.code == "not_found":
            raise Http404 from refused
        if refused.code == "limit":
            return Status(429, ErrorOut(detail=refused.message))
        raise FieldError(refused.field or "helpful", refused.message) from None
    return FeedbackOut(
        slug=counted.slug,
        language=counted.language,
        helpful=body.helpful,
        helpful_count=counted.helpful_count,
        not_helpful_count=counted.not_helpful_count,
    )
