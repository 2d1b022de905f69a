"""The search index of published articles, kept by the writes that publish.

One table, ``helpdesk_article_search``, one row per published article, which ``refresh``
replaces after a publish or a withdrawal, in the caller's transaction (no trigger writes
it):

- SQLite: an FTS5 table (migration ``helpdesk.0002``) of the title, summary and plain
  text, with the language and the article's id in unindexed columns.
- PostgreSQL: a table (migration ``helpdesk.0003``) of the language, the plain text (for
  snippets) and the text-search vector, title weighted A, summary B, text D, in the
  language's configuration with accents folded, under a GIN index. Ranking reads the
  stored vector; nothing is computed from the article per search.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from dropline.helpdesk.help import words
from dropline.helpdesk.help.rendering import plain_text
from dropline.helpdesk.models import Article, ArticleStatus

TABLE = "helpdesk_article_search"
CONFIGS = {"en": "english", "es": "spanish"}


def _folded(placeholder: str) -> str:
    return f"translate({placeholder}, '{words.ACCENTED}', '{words.PLAIN}')"


def vector_sql(language: str) -> str:
    """The vector of a title, summary and plain text given as three parameters."""
    config = CONFIGS[language]
    return " || ".join(
        f"setweight(to_tsvector('{config}'::regconfig, {_folded('%s')}), '{weight}')"
        for weight in ("A", "B", "D")
    )


def uses_fts5() -> bool:
    return connection.vendor == "sqlite"


def refresh(articles: Iterable[Article]) -> None:
    """Make the index say what these articles publish now (nothing, unless published)."""
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
        published = [article for article in rows if article.status == ArticleStatus.PUBLISHED]
        if uses_fts5():
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
                    for article in published
                ],
            )
            return
        for language in CONFIGS:
            cursor.executemany(
                f"INSERT INTO {TABLE} (article_id, language, body, vector)"  # noqa: S608
                f" VALUES (%s, %s, %s, {vector_sql(language)})",
                [
                    (
                        article.pk,
                        language,
                        text,
                        article.published_title,
                        article.published_summary,
                        text,
                    )
                    for article in published
                    if article.language == language
                    for text in [plain_text(article.published_body)]
                ],
            )


def rebuild() -> int:
    """Index every published article again from scratch; returns how many."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608 (a constant name)
    published = list(Article.objects.filter(status=ArticleStatus.PUBLISHED))
    refresh(published)
    return len(published)
