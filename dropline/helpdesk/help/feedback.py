""" "Was this helpful?": one answer per article and voter, counted once.

A voter is a person (``person_voter``) or, for a visitor, a hash of their browser
session's key (``visitor_voter``), so no session key is stored. Answering again with
the other answer moves the vote from one counter to the other; the same answer again
changes nothing. The article's row is locked while the vote is counted, so two answers
at once are both counted right. Limited per voter by ``core.ratelimit``.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import transaction
from django.db.models import F
from django.db.models.expressions import CombinedExpression
from django.utils.translation import gettext as _

from dropline.core import clock, ratelimit
from dropline.helpdesk.errors import SupportError
from dropline.helpdesk.models import Article, ArticleFeedback, ArticleStatus

VOTES = ratelimit.Limit.per("help.feedback", 30, dt.timedelta(hours=1))


def person_voter(person_id: int) -> str:
    return f"person:{person_id}"


def visitor_voter(session_key: str) -> str:
    return "visitor:" + hashlib.sha256(session_key.encode()).hexdigest()[:48]


def voter(*, person_id: int | None, session_key: str | None) -> str:
    """Who answers: the person signed in, else the visitor's browser session; "" when
    neither is known (``vote`` refuses it)."""
    if person_id is not None:
        return person_voter(person_id)
    return visitor_voter(session_key) if session_key else ""


def vote(*, article_id: int, voter: str, helpful: bool) -> Article:
    """Record ``voter``'s answer on a published article; returns it with its counts."""
    if not voter or len(voter) > 64:
        raise SupportError(_("We could not tell who is answering."), code="invalid", field="voter")
    try:
        ratelimit.enforce(VOTES, voter)
    except ratelimit.ThrottledError as throttled:
        raise SupportError(
            _("Too many answers for now. Try again in %(minutes)s minutes.")
            % {"minutes": throttled.minutes},
            code="limit",
            field="helpful",
        ) from throttled
    return _count(article_id=article_id, voter=voter, helpful=helpful)


@transaction.atomic
def _count(*, article_id: int, voter: str, helpful: bool) -> Article:
    article = (
        Article.objects.select_for_update()
        .filter(pk=article_id, status=ArticleStatus.PUBLISHED)
        .first()
    )
    if article is None:
        raise SupportError(_("That article does not exist."), code="not_found", field="article")
    previous = ArticleFeedback.objects.filter(article=article, voter_key=voter).first()
    if previous is not None and previous.helpful == helpful:
        return article
    changes: dict[str, CombinedExpression] = {}
    if previous is None:
        ArticleFeedback.objects.create(
            article=article, voter_key=voter, helpful=helpful, at=clock.now()
        )
    else:
        previous.helpful = helpful
        previous.at = clock.now()
        previous.save(update_fields=["helpful", "at"])
        gone = "not_helpful_count" if helpful else "helpful_count"
        changes[gone] = F(gone) - 1
    added = "helpful_count" if helpful else "not_helpful_count"
    changes[added] = F(added) + 1
    Article.objects.filter(pk=article.pk).update(**changes)
    article.refresh_from_db(fields=["helpful_count", "not_helpful_count"])
    return article
