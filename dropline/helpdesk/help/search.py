"""Full-text search over the published text of help articles, best first.

- SQLite: the FTS5 table ``helpdesk_article_search`` (``unicode61 remove_diacritics 2``,
  so "facturacion" finds "facturación"), kept by ``indexing.refresh``; ranked by
  ``bm25`` with the title weighted over the summary over the body; snippets by
  ``snippet()``.
- PostgreSQL: the table ``helpdesk_article_search`` of stored vectors (the language's
  configuration, ``english`` / ``spanish``, over the published title (weight A),
  summary (B) and plain text (D), accents folded), under a GIN index, kept by
  ``indexing.refresh``; the query's words are folded the same way. Ranked by
  ``ts_rank`` on the stored vector; snippets from the stored plain text.

Each word of the query is a term on its own (any of them may match; more matches rank
higher), also matched by its stem as a prefix. Input is never syntax: words are letters
and digits only, quoted for FTS5 and passed as parameters. A query with no words worth
looking for answers nothing.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from dropline.helpdesk.errors import SupportError
from dropline.helpdesk.help import indexing, words
from dropline.helpdesk.models import Article, ArticleStatus

CONFIGS = indexing.CONFIGS
WEIGHTS = (10.0, 4.0, 1.0)  # bm25: title, summary, body
MAX_LIMIT = 50
SNIPPET_WORDS = 24
# Markers no article contains (stripped from the text first), replaced by <mark> once the
# snippet is escaped.
START, END = "\ue000", "\ue001"


@dataclass(frozen=True)
class Hit:
    article_id: int
    slug: str
    language: str
    topic: str
    title: str
    summary: str
    snippet: str  # safe HTML: escaped text, the matched words in <mark>
    rank: float


def check_language(language: str) -> str:
    codes = [code for code, _name in settings.LANGUAGES]
    if language not in codes:
        raise SupportError(
            f"Choose a language: {', '.join(codes)}.", code="invalid", field="language"
        )
    return language


def search(*, query: str, language: str, limit: int = 10, topic: str = "") -> list[Hit]:
    """Published articles in ``language`` matching ``query``, best first."""
    check_language(language)
    found = words.terms(query[:500], language)
    if not found:
        return []
    limit = max(1, min(limit, MAX_LIMIT))
    if indexing.uses_fts5():
        ranked = _sqlite(found, language, limit, topic)
    else:
        ranked = _postgres(found, language, limit, topic)
    return ranked


def _marked(snippet: str) -> str:
    escaped = html.escape(snippet, quote=False)
    return escaped.replace(START, "<mark>").replace(END, "</mark>")


def _hits(rows: list[tuple[int, float, str]], topic: str) -> list[Hit]:
    """Hits in the order ranked, for articles published now (and in ``topic``)."""
    articles = Article.objects.filter(
        pk__in=[row[0] for row in rows], status=ArticleStatus.PUBLISHED
    ).only("slug", "language", "topic", "published_title", "published_summary")
    if topic:
        articles = articles.filter(topic=topic)
    by_id = {article.pk: article for article in articles}
    return [
        Hit(
            article_id=article.pk,
            slug=article.slug,
            language=article.language,
            topic=article.topic,
            title=article.published_title,
            summary=article.published_summary,
            snippet=_marked(snippet),
            rank=rank,
        )
        for article_id, rank, snippet in rows
        if (article := by_id.get(article_id)) is not None
    ]


# ---------------------------------------------------------------------------- SQLite


def match_expression(found: list[str], language: str) -> str:
    """An FTS5 MATCH of any of the words, each quoted, with its stem as a prefix."""
    parts: list[str] = []
    for word in found:
        folded = words.fold_all(word)
        parts.append(f'"{folded}"')
        stem = words.fold_all(words.stem(word, language))
        if stem != folded:
            parts.append(f'"{stem}"*')
    return " OR ".join(dict.fromkeys(parts))


def _sqlite(found: list[str], language: str, limit: int, topic: str) -> list[Hit]:
    table = indexing.TABLE
    title, summary, body = WEIGHTS
    sql = (
        f"SELECT article_id, bm25({table}, {title}, {summary}, {body}, 0.0, 0.0) AS rank,"  # noqa: S608
        f" snippet({table}, -1, %s, %s, %s, {SNIPPET_WORDS // 2})"
        f" FROM {table} WHERE {table} MATCH %s AND language = %s ORDER BY rank LIMIT %s"
    )
    # A topic filters after ranking: ask for more so that a page still fills.
    fetch = limit * 4 if topic else limit
    with connection.cursor() as cursor:
        cursor.execute(sql, [START, END, "…", match_expression(found, language), language, fetch])
        rows = [(int(r[0]), -float(r[1]), str(r[2])) for r in cursor.fetchall()]
    return _hits(rows, topic)[:limit]


# ---------------------------------------------------------------------------- PostgreSQL


def tsquery_text(found: list[str], language: str) -> str:
    """``to_tsquery`` input: each word (letters and digits only) and its stem, as prefixes."""
    parts: list[str] = []
    for word in found:
        parts.append(f"{words.fold(word)}:*")
        stem = words.stem(word, language)
        if stem != words.fold(word):
            parts.append(f"{stem}:*")
    return " | ".join(dict.fromkeys(parts))


def _postgres(found: list[str], language: str, limit: int, topic: str) -> list[Hit]:
    config = CONFIGS[language]
    table = indexing.TABLE
    sql = (
        f"SELECT article_id, ts_rank(vector, q) AS rank, body"  # noqa: S608
        f" FROM {table}, to_tsquery('{config}'::regconfig, %s) AS q"
        " WHERE language = %s AND vector @@ q ORDER BY rank DESC, article_id LIMIT %s"
    )
    fetch = limit * 4 if topic else limit
    with connection.cursor() as cursor:
        cursor.execute(sql, [tsquery_text(found, language), language, fetch])
        rows = [
            (int(r[0]), float(r[1]), highlight(str(r[2]), found, language))
            for r in cursor.fetchall()
        ]
    return _hits(rows, topic)[:limit]


_TOKEN = re.compile(r"[^\W_]+")


def highlight(text: str, found: list[str], language: str, *, size: int = SNIPPET_WORDS) -> str:
    """A window of ``text`` around its first matched word, matched words between the
    markers; the start of the text when no word matches."""
    text = text.replace(START, "").replace(END, "")
    prefixes = {words.fold_all(words.stem(word, language)) for word in found}
    prefixes |= {words.fold_all(word) for word in found}
    starts = tuple(prefixes)
    firsts = {prefix[:1] for prefix in starts}
    spans = [m.span() for m in _TOKEN.finditer(text)]
    if not spans:
        return ""
    # An article repeats its words: each distinct one is folded and compared once, and
    # only the words up to the first match and in the snippet are looked at.
    seen: dict[str, bool] = {}

    def matches(index: int) -> bool:
        a, b = spans[index]
        token = text[a:b]
        hit = seen.get(token)
        if hit is None:
            initial = token[:1].lower()
            if initial.isascii() and initial not in firsts:
                hit = False  # most words: no prefix starts with their first letter
            else:
                folded = words.fold_all(token.lower())
                hit = folded[:1] in firsts and folded.startswith(starts)
            seen[token] = hit
        return hit

    first = next((index for index in range(len(spans)) if matches(index)), 0)
    start = max(0, first - size // 3)
    end = min(len(spans), start + size)
    pieces: list[str] = []
    cursor = spans[start][0]
    for index in range(start, end):
        a, b = spans[index]
        pieces.append(text[cursor:a])
        pieces.append(f"{START}{text[a:b]}{END}" if matches(index) else text[a:b])
        cursor = b
    snippet = "".join(pieces)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(spans) else ""
    return f"{prefix}{snippet}{suffix}"
