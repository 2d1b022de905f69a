"""The help centre's topics and "Was this helpful?" through the API. Topics are open to
anyone, named in the language asked for, with how many articles each has. An answer is
counted once per person (whether given on the web or in the app), or per browser session
for a visitor signed out, as on the article's page; a caller with neither is refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from dropline.helpdesk.help import feedback as voting
from dropline.helpdesk.help import publishing
from dropline.helpdesk.models import ArticleFeedback
from tests.support.app_client import App
from tests.support.factories import make_customer
from tests.support.help import article, editor, import_fixture_articles

pytestmark = pytest.mark.django_db

TOPICS = "/api/v1/help/topics"


def feedback_url(slug: str = "slow-internet") -> str:
    return f"/api/v1/help/articles/{slug}/feedback"


@pytest.fixture(autouse=True)
def articles():
    import_fixture_articles()


def vote(client: Any, body: dict[str, Any], slug: str = "slow-internet", **extra: Any) -> Any:
    return client.post(feedback_url(slug), body, content_type="application/json", **extra)


def counts(slug: str = "slow-internet", language: str = "en") -> tuple[int, int]:
    found = article(slug, language)
    return found.helpful_count, found.not_helpful_count


def published_counts() -> tuple[int, int]:
    body = Client().get("/api/v1/help/articles/slow-internet").json()
    return body["helpful_count"], body["not_helpful_count"]


# --- topics -----------------------------------------------------------------------------------


def test_topics_with_their_article_counts_are_open_to_anyone(client):
    answer = client.get(TOPICS, {"language": "en"})
    assert answer.status_code == 200
    assert answer.json() == {
        "language": "en",
        "topics": [
            {
                "topic": "billing",
                "label": "Bills",
                "article_count": 1,
                "url": "/support/topics/billing/?lang=en",
            },
            {
                "topic": "internet",
                "label": "Internet and Wi-Fi",
                "article_count": 1,
                "url": "/support/topics/internet/?lang=en",
            },
            {
                "topic": "equipment",
                "label": "Equipment",
                "article_count": 1,
                "url": "/support/topics/equipment/?lang=en",
            },
        ],
    }
    # Each count is what the topic's list holds.
    for topic in answer.json()["topics"]:
        listed = client.get("/api/v1/help/articles", {"topic": topic["topic"], "language": "en"})
        assert listed.json()["count"] == topic["article_count"]


def test_topics_are_named_in_the_language_asked_for(client):
    spanish = client.get(TOPICS, {"language": "es"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert [t["label"] for t in spanish["topics"]] == ["Facturas", "Internet y Wi-Fi", "Equipo"]
    by_browser = client.get(TOPICS, HTTP_ACCEPT_LANGUAGE="es").json()
    assert by_browser["language"] == "es"


def test_a_withdrawn_article_leaves_its_topics_count(client):
    publishing.withdraw(article_id=article("read-your-bill").pk, by=editor())
    topics = client.get(TOPICS, {"language": "en"}).json()["topics"]
    assert "billing" not in [t["topic"] for t in topics]


def test_an_unknown_language_is_a_400_naming_it(client):
    answer = client.get(TOPICS, {"language": "fr"})
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "language"


# --- was this helpful? ------------------------------------------------------------------------


def test_a_person_answers_once_and_may_change_their_mind():
    person = make_customer(username="reader")
    app = App("reader", reauthenticated=False)

    first = app.post(feedback_url(), {"helpful": True})
    again = app.post(feedback_url(), {"helpful": True})

    assert first.status_code == again.status_code == 200
    assert again.json() == {
        "slug": "slow-internet",
        "language": "en",
        "helpful": True,
        "helpful_count": 1,
        "not_helpful_count": 0,
    }
    changed = app.post(feedback_url(), {"helpful": False})
    assert (changed.json()["helpful_count"], changed.json()["not_helpful_count"]) == (0, 1)
    assert counts() == (0, 1)
    assert ArticleFeedback.objects.get().voter_key == voting.person_voter(person.user.pk)
    # Readers of the article see the same counts.
    assert published_counts() == (0, 1)


def test_the_web_and_the_app_count_one_answer_per_person():
    person = make_customer(username="reader")
    web = Client()
    web.force_login(person.user)
    web.post(reverse("help:feedback", args=["slow-internet"]), {"helpful": "yes"})
    app = App("reader", reauthenticated=False)
    app.post(feedback_url(), {"helpful": True})
    assert counts() == (1, 0)


def test_a_visitor_answers_as_the_browser_session_the_web_gave_them():
    visitor = Client()
    visitor.post(reverse("help:feedback", args=["slow-internet"]), {"helpful": "yes"})
    assert counts() == (1, 0)

    answer = vote(visitor, {"helpful": False})

    assert answer.status_code == 200
    assert counts() == (0, 1)  # the same browser's answer, moved
    assert ArticleFeedback.objects.count() == 1


def test_a_visitor_needs_the_csrf_token_of_their_browser_session():
    visitor = Client(enforce_csrf_checks=True)
    visitor.get(reverse("help:article", args=["slow-internet"]))
    token = visitor.cookies["csrftoken"].value
    visitor.post(
        reverse("help:feedback", args=["slow-internet"]),
        {"helpful": "yes", "csrfmiddlewaretoken": token},
    )
    assert vote(visitor, {"helpful": False}).status_code == 403
    assert counts() == (1, 0)
    assert vote(visitor, {"helpful": False}, HTTP_X_CSRFTOKEN=token).status_code == 200
    assert counts() == (0, 1)


def test_a_caller_neither_signed_in_nor_with_a_browser_session_is_refused():
    assert vote(Client(), {"helpful": True}).status_code == 401
    assert vote(Client(HTTP_X_SESSION_TOKEN="forged"), {"helpful": True}).status_code == 401
    stale = Client()
    stale.cookies["sessionid"] = "not-a-session-we-gave"
    assert vote(stale, {"helpful": True}).status_code == 401
    assert counts() == (0, 0)
    assert not ArticleFeedback.objects.exists()


def test_a_spanish_reader_answers_on_the_spanish_article():
    make_customer(username="lector")
    app = App("lector", reauthenticated=False)
    answer = app.post(feedback_url(), {"helpful": True, "language": "es"})
    assert answer.json()["language"] == "es"
    assert counts(language="es") == (1, 0)
    assert counts(language="en") == (0, 0)


@pytest.mark.parametrize(
    ("slug", "body", "status", "field"),
    [
        ("no-such-article", {"helpful": True}, 404, None),
        ("slow-internet", {"helpful": "yes"}, 422, "helpful"),
        ("slow-internet", {}, 422, "helpful"),
        ("slow-internet", {"helpful": True, "language": "fr"}, 400, "language"),
    ],
)
def test_bad_input_counts_nothing(slug, body, status, field):
    person = make_customer(username="reader")
    client = Client()
    client.force_login(person.user)
    answer = vote(client, body, slug=slug)
    assert answer.status_code == status
    if field is not None:
        assert [e["field"] for e in answer.json()["errors"]] == [field]
    assert not ArticleFeedback.objects.exists()


def test_a_withdrawn_article_takes_no_answer():
    publishing.withdraw(article_id=article("slow-internet").pk, by=editor())
    person = make_customer(username="reader")
    client = Client()
    client.force_login(person.user)
    assert vote(client, {"helpful": True}).status_code == 404
    assert not ArticleFeedback.objects.exists()


def test_answers_are_limited_per_person():
    person = make_customer(username="reader")
    client = Client()
    client.force_login(person.user)
    for n in range(voting.VOTES.count):
        assert vote(client, {"helpful": n % 2 == 0}).status_code == 200
    before = counts()

    refused = vote(client, {"helpful": False})

    assert refused.status_code == 429
    assert "Too many answers for now." in refused.json()["detail"]
    assert counts() == before
