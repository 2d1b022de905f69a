"""Search finds published articles by their words in the reader's language, accents and
word forms aside, best first, with the matched words marked; hostile input is just
words. The same tests run on SQLite (FTS5) and on PostgreSQL (full-text search)."""

from __future__ import annotations

import pytest
from django.db import connection

from dropline.helpdesk.errors import SupportError
from dropline.helpdesk.help import publishing
from dropline.helpdesk.help.search import search
from dropline.helpdesk.models import Article, ArticleStatus
from tests.support.help import article, editor, import_fixture_articles
from tests.support.services import need

pytestmark = pytest.mark.django_db


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
    autouse=True,
)
def backend(request):
    if connection.vendor != request.param:
        # The variant for the other database: the run on that database checks it.
        pytest.skip(f"the database is not {request.param}")
    import_fixture_articles()
    return request.param


def slugs(query: str, language: str = "en") -> list[str]:
    return [hit.slug for hit in search(query=query, language=language)]


def test_a_word_in_the_title_finds_its_article_first():
    assert slugs("restart")[0] == "restart-your-equipment"
    assert slugs("slow")[0] == "slow-internet"


def test_spanish_finds_spanish_articles_only():
    found = search(query="factura", language="es")
    assert [hit.slug for hit in found] == ["read-your-bill"]
    assert found[0].language == "es"
    assert found[0].title == "Entienda su factura"


def test_accents_do_not_matter():
    assert slugs("facturación", "es")[0] == "read-your-bill"
    assert slugs("facturacion", "es")[0] == "read-your-bill"
    assert slugs("modem", "es")[0] == "restart-your-equipment"  # "módem" in the text


def test_other_forms_of_a_word_are_found():
    assert slugs("restarting")[0] == "restart-your-equipment"
    assert slugs("bills")[0] == "read-your-bill"
    assert slugs("facturas", "es")[0] == "read-your-bill"
    assert slugs("reiniciar", "es")[0] == "restart-your-equipment"


def test_more_matching_words_rank_higher():
    assert slugs("restart slow internet")[0] == "slow-internet"


def test_the_snippet_marks_the_words_and_escapes_the_text():
    hit = search(query="unplug", language="en")[0]
    assert "<mark>Unplug</mark>" in hit.snippet or "<mark>unplug</mark>" in hit.snippet.lower()
    assert "<script" not in hit.snippet


@pytest.mark.parametrize(
    "query",
    ['"', "AND (", "OR", "NEAR(", "title:restart", "*", "restart*", '"restart', "a' OR 1=1 --"],
)
def test_hostile_input_is_words_not_syntax(query):
    found = search(query=query, language="en")
    assert all(hit.language == "en" for hit in found)


@pytest.mark.parametrize("query", ["", "   ", "!!!", "the and of", "¿?"])
def test_an_empty_or_junk_query_answers_nothing(query):
    assert search(query=query, language="en") == []


def test_an_unknown_language_is_refused_naming_it():
    with pytest.raises(SupportError) as refused:
        search(query="bill", language="fr")
    assert refused.value.field == "language"


def test_a_draft_word_is_not_found_until_published():
    staff = editor()
    restart = article("restart-your-equipment")
    publishing.save_draft(
        article_id=restart.pk,
        draft=publishing.Draft(
            title=restart.title,
            summary=restart.summary,
            topic=restart.topic,
            position=restart.position,
            body=restart.body + "\n\nAsk about the zanzibarite filter.",
        ),
        by=staff,
    )
    assert slugs("zanzibarite") == []
    assert slugs("unplug") == ["restart-your-equipment"]  # the published words still found
    publishing.publish(article_id=restart.pk, by=staff)
    assert slugs("zanzibarite") == ["restart-your-equipment"]


def test_a_withdrawn_article_is_not_found():
    publishing.withdraw(article_id=article("slow-internet").pk, by=editor())
    assert "slow-internet" not in slugs("slow")
    assert article("slow-internet").status == ArticleStatus.WITHDRAWN


def test_a_topic_narrows_the_results():
    found = search(query="restart", language="en", topic="internet")
    assert [hit.slug for hit in found] == ["slow-internet"]


@pytest.mark.postgres
def test_postgresql_answers_from_the_stored_vectors_index(backend):
    need(backend == "postgresql", "the index is PostgreSQL's")
    from dropline.helpdesk.help.search import tsquery_text

    sql = (
        "EXPLAIN SELECT article_id FROM helpdesk_article_search WHERE language = 'es'"
        " AND vector @@ to_tsquery('spanish'::regconfig, %s)"
    )
    with connection.cursor() as cursor:
        # With a handful of rows the planner would read them all; told not to, the
        # search's own index must serve.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(sql, [tsquery_text(["factura"], "es")])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "helpdesk_article_search_vector" in plan


@pytest.mark.postgres
def test_postgresql_keeps_one_row_per_published_article(backend):
    need(backend == "postgresql", "the table is PostgreSQL's")
    published = set(
        Article.objects.filter(status=ArticleStatus.PUBLISHED).values_list("pk", "language")
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT article_id, language FROM helpdesk_article_search")
        indexed = set(cursor.fetchall())
    assert indexed == published
    publishing.withdraw(article_id=article("slow-internet").pk, by=editor())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM helpdesk_article_search WHERE article_id = %s",
            [article("slow-internet").pk],
        )
        assert cursor.fetchone() == (0,)


def test_markup_in_an_article_comes_back_escaped_in_the_snippet():
    staff = editor()
    bill = article("read-your-bill")
    publishing.save_draft(
        article_id=bill.pk,
        draft=publishing.Draft(
            title=bill.title,
            summary=bill.summary,
            topic=bill.topic,
            position=bill.position,
            body="The <script>alert(1)</script> zanzibarite & <b>friends</b>.",
        ),
        by=staff,
    )
    publishing.publish(article_id=bill.pk, by=staff)
    snippet = search(query="zanzibarite", language="en")[0].snippet
    assert "<mark>zanzibarite</mark>" in snippet
    assert "<script" not in snippet
    assert "<b>" not in snippet
    assert "&lt;script&gt;" in snippet
