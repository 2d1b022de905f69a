"""Staff writes on help articles: a new article, its draft saved, published (the draft
copied to what customers read and search), withdrawn. Each is one transaction with its
audit event; the search index follows in the same transaction (``indexing.refresh``).
A refusal is a ``SupportError`` naming the field at fault, and nothing is written.

Saving sets ``updated_by``: an article staff have edited is never overwritten by the
shipped files again (``library``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from dropline.accounts.models import User
from dropline.core import audit, clock
from dropline.helpdesk.errors import SupportError
from dropline.helpdesk.help import indexing
from dropline.helpdesk.models import Article, ArticleStatus, HelpTopic

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_POSITION = 32767


@dataclass(frozen=True)
class Draft:
    """What staff edit: the words and where the article sits."""

    title: str
    summary: str
    topic: str
    position: int
    body: str


def _limit(field: str, value: str, size: int) -> None:
    if len(value) > size:
        raise SupportError(
            _("Keep this to %(size)s characters or fewer.") % {"size": size},
            code="invalid",
            field=field,
        )


def check_draft(draft: Draft) -> Draft:
    """The draft with its words trimmed, or a SupportError naming the field at fault."""
    title, summary, body = draft.title.strip(), draft.summary.strip(), draft.body.strip()
    if not title:
        raise SupportError(_("Give the article a title."), code="invalid", field="title")
    _limit("title", title, 160)
    _limit("summary", summary, 300)
    if draft.topic not in HelpTopic.values:
        raise SupportError(_("Choose one of the topics."), code="invalid", field="topic")
    if not 0 <= draft.position <= MAX_POSITION:
        raise SupportError(
            _("The position is a whole number from 0 to %(most)s.") % {"most": MAX_POSITION},
            code="invalid",
            field="position",
        )
    if not body:
        raise SupportError(_("Write the article's text."), code="invalid", field="body")
    _limit("body", body, 50000)
    return Draft(
        title=title, summary=summary, topic=draft.topic, position=draft.position, body=body
    )


def copy_to_published(article: Article) -> None:
    """Put the draft where customers read it (the caller saves and refreshes the index)."""
    article.published_title = article.title
    article.published_summary = article.summary
    article.published_body = article.body
    article.published_at = clock.now()
    article.status = ArticleStatus.PUBLISHED


def _locked(article_id: int) -> Article:
    try:
        return Article.objects.select_for_update().get(pk=article_id)
    except Article.DoesNotExist as missing:
        raise SupportError(
            _("That article does not exist."), code="not_found", field="article"
        ) from missing


@transaction.atomic
def create_article(
    *, slug: str, language: str, draft: Draft, by: User, request: HttpRequest | None = None
) -> Article:
    """A new article in ``language``, as a draft nobody sees until it is published."""
    slug = slug.strip().lower()
    if not SLUG.match(slug) or len(slug) > 80:
        raise SupportError(
            _("Use lower-case letters, digits and hyphens, like restart-your-modem."),
            code="invalid",
            field="slug",
        )
    if language not in [code for code, _name in settings.LANGUAGES]:
        raise SupportError(_("Choose English or Spanish."), code="invalid", field="language")
    if Article.objects.filter(slug=slug, language=language).exists():
        raise SupportError(
            _("An article with this address already exists in that language."),
            code="invalid",
            field="slug",
        )
    clean = check_draft(draft)
    article = Article.objects.create(
        slug=slug,
        language=language,
        topic=clean.topic,
        position=clean.position,
        title=clean.title,
        summary=clean.summary,
        body=clean.body,
        status=ArticleStatus.DRAFT,
        updated_at=clock.now(),
        updated_by=by,
    )
    audit.record(action="help.article_created", request=request, actor=by, target=article)
    return article


@transaction.atomic
def save_draft(
    *, article_id: int, draft: Draft, by: User, request: HttpRequest | None = None
) -> Article:
    """Save staff's draft; what customers read changes only when it is published."""
    article = _locked(article_id)
    clean = check_draft(draft)
    changed = [
        name
        for name in ("title", "summary", "topic", "position", "body")
        if getattr(article, name) != getattr(clean, name)
    ]
    for name in changed:
        setattr(article, name, getattr(clean, name))
    article.updated_at = clock.now()
    article.updated_by = by
    article.save()
    audit.record(
        action="help.article_saved",
        request=request,
        actor=by,
        target=article,
        data={"changed": changed},
    )
    return article


@transaction.atomic
def publish(*, article_id: int, by: User, request: HttpRequest | None = None) -> Article:
    """Customers read and find the draft from now on."""
    article = _locked(article_id)
    check_draft(
        Draft(
            title=article.title,
            summary=article.summary,
            topic=article.topic,
            position=article.position,
            body=article.body,
        )
    )
    copy_to_published(article)
    article.updated_at = clock.now()
    article.updated_by = by
    article.save()
    indexing.refresh([article])
    audit.record(action="help.article_published", request=request, actor=by, target=article)
    return article


@transaction.atomic
def withdraw(*, article_id: int, by: User, request: HttpRequest | None = None) -> Article:
    """Customers no longer read or find the article; its draft stays for staff."""
    article = _locked(article_id)
    if article.status != ArticleStatus.PUBLISHED:
        raise SupportError(_("This article is not published."), code="invalid", field="status")
    article.status = ArticleStatus.WITHDRAWN
    article.updated_at = clock.now()
    article.updated_by = by
    article.save()
    indexing.refresh([article])
    audit.record(action="help.article_withdrawn", request=request, actor=by, target=article)
    return article
