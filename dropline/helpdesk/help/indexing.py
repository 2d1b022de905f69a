"""The search index of published articles, kept by the writes that publish.

On SQLite it is an FTS5 table (``helpdesk_article_search``, made by migration
``helpdesk.0002``) of each published article's title, summary and plain text, with its
language and id in unindexed columns; ``refresh`` replaces an article's row after a
publish or a withdrawal, in the caller's transaction. No trigger writes it.

On PostgreSQL the index is a GIN expression index per language over the ``published_*``
columns themselves, so it follows every write and ``refresh`` has nothing to do.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from dropline.helpdesk.help.rendering import plain_text
from dropline.helpdesk.models import Article, ArticleStatus

TABLE = "helpdesk_article_search"


def uses_fts5() -> bool:
    return connection.vendor == "sqlite"


def refresh(articles: Iterable[Article]) -> None:
    """Make the index say what these articles publish now (nothing, unless published)."""
    if not uses_fts5():
        return
    rows = list(articles)
    if not rows:
        return
    with connection.cursor() as cursor:
        # Rows of articles no longer there (a database emptied under the index) go too.
        cursor.execute(
            f"DELETE FROM {TABLE} WHERE article_id NOT IN (SELECT id FROM helpdesk_article)"  # noqa: S608
        )
        cursor.executemany(
            f"DELETE FROM {TABLE} WHERE article_id = %s",  # noqa: S608 (a constant name)
            [(article.pk,) for article in rows],
        )
        cursor.executemany(
            f"INSERT INTO {TABLE} (title, summary, body, language, article_id)"  # noqa: S608
            " VALUES (%s, %s, %s, %s, %s)",
            [
                (
                    article.published_title,
                    article.published_summary,
                    plain_text(article.published_body),
                    article.language,
                    article.pk,
                )
                for article in rows
                if article.status == ArticleStatus.PUBLISHED
            ],
        )


def rebuild() -> int:
    """Index every published article again from scratch; returns how many."""
    if not uses_fts5():
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608 (a constant name)
    published = list(Article.objects.filter(status=ArticleStatus.PUBLISHED))
    refresh(published)
    return len(published)
