"""Input and output of the help articles (``dropline.api.help.routes``)."""

from __future__ import annotations

from ninja import Field, Schema


class ArticlesQuery(Schema):
    q: str = Field("", max_length=200, description="Words to search for; all articles if empty.")
    language: str = Field("", max_length=8, description="`en` or `es`; the caller's if empty.")
    topic: str = Field("", max_length=16, description="Only the articles of this topic.")


class LanguageQuery(Schema):
    language: str = Field("", max_length=8, description="`en` or `es`; the caller's if empty.")


class ArticleSummaryOut(Schema):
    slug: str
    language: str
    title: str
    summary: str
    topic: str
    topic_label: str
    snippet: str = Field(
        description="For a search: the words around the match as HTML, escaped, the "
        "matched words in `<mark>`; empty otherwise."
    )
    url: str = Field(description="The article's page on the web.")


class ArticlesOut(Schema):
    query: str
    language: str
    count: int
    articles: list[ArticleSummaryOut]


class RelatedOut(Schema):
    slug: str
    title: str
    url: str


class ArticleOut(Schema):
    slug: str
    language: str = Field(description="The article's language: English when not translated.")
    title: str
    summary: str
    topic: str
    topic_label: str
    updated_at: str | None
    markdown: str
    html: str = Field(description="The text as sanitized HTML, safe to show as it is.")
    helpful_count: int
    not_helpful_count: int
    related: list[RelatedOut]
    url: str
