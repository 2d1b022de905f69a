"""The help articles through the API: a list or search results with snippets, one
article with its Markdown and sanitized HTML, the language chosen or refused by name.
Open to anyone, as the help pages are."""

from __future__ import annotations

import pytest

from dropline.helpdesk.help import publishing
from dropline.helpdesk.models import Article
from tests.support.help import article, editor, import_fixture_articles

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def articles():
    import_fixture_articles()


def test_the_list_in_a_language(client):
    answer = client.get("/api/v1/help/articles", {"language": "es"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 3
    titles = {a["title"] for a in body["articles"]}
    assert "Entienda su factura" in titles
    assert all(a["language"] == "es" and a["url"].endswith("?lang=es") for a in body["articles"])


def test_a_topic_narrows_the_list(client):
    body = client.get("/api/v1/help/articles", {"topic": "billing", "language": "en"}).json()
    assert [a["slug"] for a in body["articles"]] == ["read-your-bill"]


def test_search_answers_ranked_hits_with_marked_snippets(client):
    body = client.get("/api/v1/help/articles", {"q": "facturacion", "language": "es"}).json()
    assert body["articles"][0]["slug"] == "read-your-bill"
    assert "<mark>" in body["articles"][0]["snippet"]
    assert body["articles"][0]["url"] == "/support/articles/read-your-bill/?lang=es"


@pytest.mark.parametrize("query", ['"', "AND (", "!!!"])
def test_hostile_searches_answer_an_empty_or_plain_list(client, query):
    assert client.get("/api/v1/help/articles", {"q": query}).status_code == 200


def test_an_unknown_language_is_a_400_naming_it(client):
    answer = client.get("/api/v1/help/articles", {"language": "fr"})
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "language"
    single = client.get("/api/v1/help/articles/read-your-bill", {"language": "xx"})
    assert single.status_code == 400
    assert single.json()["errors"][0]["field"] == "language"


def test_an_unknown_topic_is_a_400_naming_it(client):
    answer = client.get("/api/v1/help/articles", {"topic": "nowhere"})
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "topic"


def test_one_article_with_markdown_and_safe_html(client):
    staff = editor()
    restart = article("restart-your-equipment")
    publishing.save_draft(
        article_id=restart.pk,
        draft=publishing.Draft(
            title=restart.title,
            summary=restart.summary,
            topic=restart.topic,
            position=restart.position,
            body=restart.body + "\n\n<script>alert(1)</script> [x](javascript:alert(1))",
        ),
        by=staff,
    )
    publishing.publish(article_id=restart.pk, by=staff)
    body = client.get("/api/v1/help/articles/restart-your-equipment").json()
    assert body["title"] == "Restart your modem, router or TV box"
    assert "<script>" in body["markdown"]
    assert "<script" not in body["html"]
    assert "javascript:" not in body["html"]
    assert "<h2>Restart from the portal</h2>" in body["html"]
    assert [r["slug"] for r in body["related"]] == ["slow-internet"]


def test_a_missing_translation_answers_the_english_article(client):
    Article.objects.filter(slug="read-your-bill", language="es").delete()
    body = client.get("/api/v1/help/articles/read-your-bill", {"language": "es"}).json()
    assert body["language"] == "en"
    assert body["title"] == "Read your bill"


def test_a_withdrawn_or_unknown_article_is_404(client):
    publishing.withdraw(article_id=article("slow-internet").pk, by=editor())
    assert client.get("/api/v1/help/articles/slow-internet").status_code == 404
    assert client.get("/api/v1/help/articles/nothing-here").status_code == 404
