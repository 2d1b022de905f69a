"""Help-centre helpers: a few small articles in both languages (``help_articles/``, not
the shipped folder) imported as the shipped ones are, and a staff editor."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.models import Group

from dropline.accounts.models import User
from dropline.accounts.roles import CUSTOMER_CARE
from dropline.helpdesk.help.library import ImportResult, import_articles
from dropline.helpdesk.models import Article
from tests.support.factories import make_user

FIXTURE_ARTICLES = Path(__file__).resolve().parent / "help_articles"


def import_fixture_articles() -> ImportResult:
    return import_articles(directory=FIXTURE_ARTICLES)


def article(slug: str, language: str = "en") -> Article:
    return Article.objects.get(slug=slug, language=language)


def editor(username: str = "helpeditor") -> User:
    """Staff with Customer care's role, which edits and publishes help articles."""
    user = make_user(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=CUSTOMER_CARE))
    return user
