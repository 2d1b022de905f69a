"""Input and output of the help articles (``dropline.api.help.routes``)."""

from __future__ import annotations

from ninja import Field, Schema
from pydantic import ConfigDict, StrictBool


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


class TopicOut(Schema):
    topic: str = Field(description="List its articles with `GET /help/articles?topic=`.")
    label: str = Field(description="The topic in words, in `language`.")
    article_count: int
    url: str = Field(description="The topic's page on the web.")


class TopicsOut(Schema):
    language: str
    topics: list[TopicOut] = Field(
        description="The topics that have published articles in `language`, in the help "
        "center's order."
    )


class FeedbackIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"helpful": True, "language": "en"}]})

    helpful: StrictBool = Field(description="Was this article helpful?", examples=[True])
    language: str = Field(
        "",
        max_length=8,
        description="The language the article was read in, `en` or `es`; the caller's if empty.",
        examples=["en"],
    )


class FeedbackOut(Schema):
    slug: str
    language: str = Field(description="The article answered: English when not translated.")
    helpful: bool = Field(description="The answer counted for the caller.")
    helpful_count: int
    not_helpful_count: int
