"""Search relevance on the shipped articles: each search customers type finds the
article that answers it among the first three, in both languages, on SQLite and on
PostgreSQL. The queries are ``tests/support/help_queries.py``."""

from __future__ import annotations

import pytest
from django.db import connection

from dropline.helpdesk.help.library import import_articles
from dropline.helpdesk.help.search import search
from tests.support.help_queries import QUERIES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_every_customer_search_finds_its_article_in_the_top_three(backend):
    if connection.vendor != backend:
        # The variant for the other database: the run on that database checks it.
        pytest.skip(f"the database is not {backend}")
    result = import_articles()
    assert len(result.created) >= 40
    missed = []
    for language, query, slug in QUERIES:
        top = [hit.slug for hit in search(query=query, language=language, limit=3)]
        if slug not in top:
            missed.append(f"{language} {query!r}: {top}, expected {slug}")
    assert not missed, "\n".join(missed)


def test_both_languages_are_covered():
    assert sum(1 for language, _q, _s in QUERIES if language == "en") >= 15
    assert sum(1 for language, _q, _s in QUERIES if language == "es") >= 15
