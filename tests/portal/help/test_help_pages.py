"""The help centre's pages: readable signed out, in the browser's language or ?lang=,
searching keeps the words in the box and marks them in the results, an article is
rendered safely with its related articles, and "Was this helpful?" counts once per
person or browser without JavaScript."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from dropline.helpdesk.help import publishing
from dropline.helpdesk.models import Article
from tests.support.factories import make_customer
from tests.support.help import article, editor, import_fixture_articles

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def articles():
    import_fixture_articles()


def test_the_hub_is_public_with_search_topics_and_popular_articles(client):
    page = client.get(reverse("help:index"))
    assert page.status_code == 200
    text = page.content.decode()
    assert 'role="search"' in text
    assert "Internet and Wi-Fi" in text
    assert "1 article" in text
    assert "When your internet is slow" in text
    assert "Fix a problem" in text
    # Someone signed out sees no personal links.
    assert "Your requests" not in text
    assert "Technician visits" not in text


def test_signed_in_the_hub_links_to_requests_and_visits(client):
    customer = make_customer(username="helpme")
    client.force_login(customer.user)
    text = client.get(reverse("help:index")).content.decode()
    assert "Your requests" in text
    assert "Technician visits" in text
    assert 'href="/support/tickets/"' in text or "tickets" in text
    # The navigation has the one Support entry, marked as the page shown.
    assert f'href="{reverse("help:index")}" aria-current="page">Support<' in text


def test_the_browser_language_or_lang_chooses_the_articles(client):
    spanish = client.get(reverse("help:index"), HTTP_ACCEPT_LANGUAGE="es")
    assert "Cuando su internet está lento" in spanish.content.decode()
    assert spanish["Content-Language"] == "es"
    asked = client.get(reverse("help:index") + "?lang=es")
    assert "Cuando su internet está lento" in asked.content.decode()
    assert f"{reverse('help:topic', args=['internet'])}?lang=es" in asked.content.decode()


def test_topics_are_named_in_the_language_lang_asks_for(client):
    asked = client.get(reverse("help:index") + "?lang=es", HTTP_ACCEPT_LANGUAGE="en")
    text = asked.content.decode()
    assert "Internet y Wi-Fi" in text
    assert "Internet and Wi-Fi" not in text


def test_search_keeps_the_query_counts_and_marks_the_words(client):
    page = client.get(reverse("help:search"), {"q": "unplug <b>"})
    text = page.content.decode()
    assert 'value="unplug &lt;b&gt;"' in text
    assert "1 article matches" in text
    assert "<mark>" in text
    assert "Restart your modem" in text
    assert "<b>" not in text.split("<main", 1)[1]


def test_no_results_suggest_topics_and_a_request(client):
    text = client.get(reverse("help:search"), {"q": "zanzibarite"}).content.decode()
    assert "No articles match" in text
    assert reverse("help:topic", args=["billing"]) in text
    assert "Open a support request" in text


@pytest.mark.parametrize("query", ['"', "AND (", "", "!!!"])
def test_hostile_or_empty_searches_answer_a_page(client, query):
    assert client.get(reverse("help:search"), {"q": query}).status_code == 200


def test_a_topic_lists_its_articles(client):
    text = client.get(reverse("help:topic", args=["equipment"])).content.decode()
    assert "Restart your modem, router or TV box" in text
    assert client.get(reverse("help:topic", args=["nowhere"])).status_code == 404


def test_an_article_is_rendered_with_its_date_and_related_articles(client):
    text = client.get(reverse("help:article", args=["restart-your-equipment"])).content.decode()
    assert '<h1 id="article-title">Restart your modem, router or TV box</h1>' in text
    assert "<h2>Restart from the portal</h2>" in text
    assert "Updated " in text
    assert reverse("help:article", args=["slow-internet"]) in text
    assert "Was this helpful?" in text


def test_a_missing_translation_falls_back_to_english(client):
    Article.objects.filter(slug="read-your-bill", language="es").delete()
    page = client.get(reverse("help:article", args=["read-your-bill"]) + "?lang=es")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Read your bill" in text
    assert 'lang="en"' in text


def test_drafts_and_withdrawn_articles_are_not_shown(client):
    publishing.withdraw(article_id=article("slow-internet").pk, by=editor())
    assert client.get(reverse("help:article", args=["slow-internet"])).status_code == 404
    assert client.get(reverse("help:article", args=["no-such-article"])).status_code == 404


def test_feedback_without_javascript_thanks_and_counts_once_per_browser():
    browser = Client(enforce_csrf_checks=True)
    url = reverse("help:article", args=["slow-internet"])
    browser.get(url)
    token = browser.cookies["csrftoken"].value
    for _ in range(2):
        answer = browser.post(
            reverse("help:feedback", args=["slow-internet"]),
            {"helpful": "yes", "language": "en", "csrfmiddlewaretoken": token},
        )
        assert answer.status_code == 302
    assert answer["Location"].endswith("voted=1#feedback")
    thanked = browser.get(answer["Location"])
    assert "Thank you for telling us." in thanked.content.decode()
    assert article("slow-internet").helpful_count == 1
    other = Client()
    other.post(reverse("help:feedback", args=["slow-internet"]), {"helpful": "no"})
    found = article("slow-internet")
    assert (found.helpful_count, found.not_helpful_count) == (1, 1)


def test_feedback_needs_the_csrf_token():
    browser = Client(enforce_csrf_checks=True)
    refused = browser.post(reverse("help:feedback", args=["slow-internet"]), {"helpful": "yes"})
    assert refused.status_code == 403
    assert article("slow-internet").helpful_count == 0


def test_a_signed_in_person_votes_once_whatever_the_browser(client):
    customer = make_customer(username="voter")
    for _ in range(2):
        browser = Client()
        browser.force_login(customer.user)
        browser.post(reverse("help:feedback", args=["slow-internet"]), {"helpful": "yes"})
    assert article("slow-internet").helpful_count == 1


def test_a_feedback_without_an_answer_changes_nothing(client):
    answer = client.post(reverse("help:feedback", args=["slow-internet"]), {"helpful": "maybe"})
    assert answer.status_code == 302
    assert article("slow-internet").helpful_count == 0
    assert "Choose Yes or No." in client.get(answer["Location"]).content.decode()
