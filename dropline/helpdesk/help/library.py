"""The articles Dropline ships, as Markdown files in ``articles/``, brought into the
database: ``import_articles()`` (``dropline help import-articles``, the demo's ``help``
step).

A file is ``<slug>.<language>.md``: front matter between ``---`` lines (``title``,
``summary``, ``topic``, optional ``position`` and ``related``: slugs separated by commas),
then the Markdown body. Every file is read and checked before anything is written; a bad
one stops the import with an ``ArticleFileError`` naming the file and the line.

An article missing from the database is created published; one that staff never edited
(``updated_by`` empty) takes the file's words if they changed; one staff have edited is
left alone, words and related articles both. ``related`` links the articles with those
slugs in the same language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from dropline.core import clock
from dropline.helpdesk.help import indexing
from dropline.helpdesk.help.publishing import SLUG, copy_to_published
from dropline.helpdesk.models import Article, HelpTopic

ARTICLES = Path(__file__).resolve().parent / "articles"
FILE_NAME = re.compile(r"^(?P<slug>[a-z0-9-]+)\.(?P<language>[a-z]{2})\.md$")
REQUIRED = ("title", "summary", "topic")
OPTIONAL = ("position", "related")
LIMITS = {"title": 160, "summary": 300}


class ArticleFileError(Exception):
    """A shipped file that cannot be imported: where, and what to fix."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path.name}, line {line}: {message}")
        self.path = path
        self.line = line
        self.message = message


@dataclass(frozen=True)
class ShippedArticle:
    path: Path
    slug: str
    language: str
    title: str
    summary: str
    topic: str
    position: int
    body: str
    related: tuple[str, ...] = ()
    related_line: int = 0


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # edited by staff: left as they are

    @property
    def total(self) -> int:
        return len(self.created) + len(self.updated) + len(self.kept)


def parse(path: Path) -> ShippedArticle:
    """One file, checked strictly."""
    named = FILE_NAME.match(path.name)
    languages = [code for code, _name in settings.LANGUAGES]
    if named is None or not SLUG.match(named["slug"]):
        raise ArticleFileError(path, 1, "the file name must be <slug>.<language>.md")
    if named["language"] not in languages:
        raise ArticleFileError(path, 1, f"the language must be one of {', '.join(languages)}")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as bad:
        raise ArticleFileError(path, 1, "the file is not UTF-8") from bad
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise ArticleFileError(path, 1, "the file must start with a '---' line")
    values: dict[str, tuple[str, int]] = {}
    end = 0
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == "---":
            end = number
            break
        if not line.strip():
            continue
        key, colon, value = line.partition(":")
        key = key.strip()
        if not colon:
            raise ArticleFileError(path, number, "expected 'key: value'")
        if key not in REQUIRED + OPTIONAL:
            raise ArticleFileError(path, number, f"unknown key '{key}'")
        if key in values:
            raise ArticleFileError(path, number, f"'{key}' is given twice")
        values[key] = (value.strip(), number)
    if not end:
        raise ArticleFileError(path, len(lines), "the front matter has no closing '---' line")
    for key in REQUIRED:
        if not values.get(key, ("", 0))[0]:
            raise ArticleFileError(path, values.get(key, ("", end))[1], f"'{key}' is missing")
    for key, size in LIMITS.items():
        value, number = values[key]
        if len(value) > size:
            raise ArticleFileError(path, number, f"'{key}' is longer than {size} characters")
    topic, topic_line = values["topic"]
    if topic not in HelpTopic.values:
        raise ArticleFileError(
            path, topic_line, f"unknown topic '{topic}' (one of {', '.join(HelpTopic.values)})"
        )
    position_text, position_line = values.get("position", ("100", end))
    if not position_text.isdigit() or int(position_text) > 32767:
        raise ArticleFileError(path, position_line, "'position' must be a whole number")
    related_text, related_line = values.get("related", ("", end))
    related = tuple(slug.strip() for slug in related_text.split(",") if slug.strip())
    for slug in related:
        if not SLUG.match(slug):
            raise ArticleFileError(path, related_line, f"'{slug}' is not an article's slug")
    body = "\n".join(lines[end:]).strip()
    if not body:
        raise ArticleFileError(path, end, "the article has no text after the front matter")
    return ShippedArticle(
        path=path,
        slug=named["slug"],
        language=named["language"],
        title=values["title"][0],
        summary=values["summary"][0],
        topic=topic,
        position=int(position_text),
        body=body,
        related=related,
        related_line=related_line,
    )


def read_all(directory: Path | None = None) -> list[ShippedArticle]:
    """Every shipped file, parsed; related slugs checked against the files."""
    folder = directory or ARTICLES
    shipped = [parse(path) for path in sorted(folder.glob("*.md"))]
    known = {(article.slug, article.language) for article in shipped}
    for article in shipped:
        for slug in article.related:
            if (slug, article.language) not in known:
                raise ArticleFileError(
                    article.path,
                    article.related_line,
                    f"related article '{slug}' has no {article.language} file",
                )
    return shipped


def _fill(article: Article, shipped: ShippedArticle) -> bool:
    """The file's words on the article, published; whether anything changed."""
    wanted = {
        "title": shipped.title,
        "summary": shipped.summary,
        "topic": shipped.topic,
        "position": shipped.position,
        "body": shipped.body,
    }
    published = (
        article.status == "published"
        and article.published_title == shipped.title
        and article.published_summary == shipped.summary
        and article.published_body == shipped.body
    )
    if all(getattr(article, k) == v for k, v in wanted.items()) and published:
        return False
    for name, value in wanted.items():
        setattr(article, name, value)
    copy_to_published(article)
    article.updated_at = clock.now()
    return True


@transaction.atomic
def import_articles(*, directory: Path | None = None) -> ImportResult:
    """Bring the shipped articles in (see the module); safe to run again."""
    shipped = read_all(directory)
    result = ImportResult()
    existing = {
        (article.slug, article.language): article
        for article in Article.objects.filter(slug__in={s.slug for s in shipped})
    }
    touched: list[Article] = []
    for item in shipped:
        key = (item.slug, item.language)
        name = f"{item.slug}.{item.language}"
        article = existing.get(key)
        if article is not None and article.updated_by_id is not None:
            result.kept.append(name)
            continue
        if article is None:
            article = Article(slug=item.slug, language=item.language)
            _fill(article, item)
            article.save()
            existing[key] = article
            result.created.append(name)
            touched.append(article)
        elif _fill(article, item):
            article.save()
            result.updated.append(name)
            touched.append(article)
    for item in shipped:
        article = existing[(item.slug, item.language)]
        if f"{item.slug}.{item.language}" in result.kept:
            continue
        wanted = [existing[(slug, item.language)] for slug in item.related]
        if {a.pk for a in wanted} != set(article.related.values_list("pk", flat=True)):
            article.related.set(wanted)
    indexing.refresh(touched)
    return result
