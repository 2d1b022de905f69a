"""Staff edit help articles: the list with the helpful counts, the draft with a preview
rendered server-side, publishing and withdrawing; customers and search see the draft
only once it is published; each permission gates its part."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from dropline.core.models import AuditEvent
from dropline.helpdesk.help.search import search
from dropline.helpdesk.models import Article, ArticleStatus
from tests.support.factories import make_user
from tests.support.help import article, editor, import_fixture_articles

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def articles():
    import_fixture_articles()


@pytest.fixture
def staff(client) -> Client:
    client.force_login(editor())
    return client


def _draft(**changes: object) -> dict[str, object]:
    restart = article("restart-your-equipment")
    return {
        "title": restart.title,
        "summary": restart.summary,
        "topic": restart.topic,
        "position": restart.position,
        "body": restart.body,
        **changes,
    }


def _reader(permissions: list[str], username: str = "reader") -> Client:
    user = make_user(username=username, is_staff=True)
    for codename in permissions:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    client = Client()
    client.force_login(user)
    return client


def test_the_list_filters_and_shows_the_helpful_counts(staff):
    Article.objects.filter(slug="slow-internet", language="en").update(helpful_count=7)
    page = staff.get(reverse("backoffice:help_articles"), {"language": "en", "topic": "internet"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "When your internet is slow" in text
    assert "<td>7</td>" in text
    assert "Read your bill" not in text
    assert "Cuando su internet" not in text
    assert 'href="/backoffice/help/articles/"' in text  # the navigation section


def test_preview_renders_the_posted_text_safely_and_saves_nothing(staff):
    restart = article("restart-your-equipment")
    url = reverse("backoffice:help_article", args=[restart.pk])
    body = "## New part\n\nClick **here**.\n\n<script>alert(1)</script> [x](javascript:alert(1))"
    page = staff.post(url, {**_draft(body=body), "preview": "1"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "<h2>New part</h2>" in text
    assert "<strong>here</strong>" in text
    assert "<script>alert" not in text
    assert 'href="javascript' not in text
    restart.refresh_from_db()
    assert "New part" not in restart.body


def test_a_saved_draft_is_found_only_once_published(staff, client):
    restart = article("restart-your-equipment")
    url = reverse("backoffice:help_article", args=[restart.pk])
    saved = staff.post(
        url, {**_draft(body=restart.body + "\n\nThe quetzalcoatl switch."), "save": "1"}
    )
    assert saved.status_code == 302
    assert search(query="quetzalcoatl", language="en") == []
    customer_page = Client().get(reverse("help:article", args=["restart-your-equipment"]))
    assert "quetzalcoatl" not in customer_page.content.decode()

    staff.post(reverse("backoffice:help_article_publish", args=[restart.pk]))
    assert [h.slug for h in search(query="quetzalcoatl", language="en")] == [
        "restart-your-equipment"
    ]
    assert (
        "quetzalcoatl"
        in Client().get(reverse("help:article", args=["restart-your-equipment"])).content.decode()
    )
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"help.article_saved", "help.article_published"} <= actions


def test_a_bad_draft_names_the_field_and_saves_nothing(staff):
    restart = article("restart-your-equipment")
    url = reverse("backoffice:help_article", args=[restart.pk])
    page = staff.post(url, {**_draft(title="  ", body=""), "save": "1"})
    assert page.status_code == 400
    assert "Nothing was saved" in page.content.decode()
    restart.refresh_from_db()
    assert restart.title == "Restart your modem, router or TV box"
    assert restart.updated_by is None


def test_withdrawing_hides_the_article_from_customers(staff):
    slow = article("slow-internet")
    staff.post(reverse("backoffice:help_article_withdraw", args=[slow.pk]))
    assert article("slow-internet").status == ArticleStatus.WITHDRAWN
    assert Client().get(reverse("help:article", args=["slow-internet"])).status_code == 404


def test_a_new_article_starts_as_a_draft(staff):
    answer = staff.post(
        reverse("backoffice:help_article_new"),
        {
            "slug": "pay-by-phone",
            "language": "en",
            "title": "Pay by phone",
            "summary": "Call us to pay.",
            "topic": "payments",
            "position": "30",
            "body": "Call the number on your bill.",
            "save": "1",
        },
    )
    assert answer.status_code == 302
    new = article("pay-by-phone")
    assert new.status == ArticleStatus.DRAFT
    assert Client().get(reverse("help:article", args=["pay-by-phone"])).status_code == 404


def test_a_taken_address_is_refused_on_its_field(staff):
    page = staff.post(
        reverse("backoffice:help_article_new"),
        {
            "slug": "slow-internet",
            "language": "en",
            "title": "Again",
            "summary": "",
            "topic": "internet",
            "position": "1",
            "body": "Text",
            "save": "1",
        },
    )
    assert page.status_code == 400
    assert "already exists" in page.content.decode()


def test_reading_needs_view_editing_needs_change_publishing_needs_publish():
    restart = article("restart-your-equipment")
    reader = _reader(["view_article"])
    assert reader.get(reverse("backoffice:help_articles")).status_code == 200
    page = reader.get(reverse("backoffice:help_article", args=[restart.pk]))
    assert page.status_code == 200
    assert "Save draft" not in page.content.decode()
    refused = reader.post(
        reverse("backoffice:help_article", args=[restart.pk]), {**_draft(title="X"), "save": "1"}
    )
    assert refused.status_code == 403
    assert (
        reader.post(reverse("backoffice:help_article_publish", args=[restart.pk])).status_code
        == 403
    )
    assert (
        reader.post(reverse("backoffice:help_article_withdraw", args=[restart.pk])).status_code
        == 403
    )
    assert article("restart-your-equipment").title == "Restart your modem, router or TV box"
    assert article("restart-your-equipment").status == ArticleStatus.PUBLISHED
    assert _reader([], "nobody").get(reverse("backoffice:help_articles")).status_code == 403
