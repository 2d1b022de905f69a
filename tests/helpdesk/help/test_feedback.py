""" "Was this helpful?" counts each voter once; changing the answer moves the vote; a
voter who answers too often is told to wait; only published articles take answers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dropline.core import ratelimit
from dropline.helpdesk.errors import SupportError
from dropline.helpdesk.help import feedback, publishing
from dropline.helpdesk.help.feedback import person_voter, visitor_voter, vote
from dropline.helpdesk.models import ArticleFeedback
from tests.support.examples import examples
from tests.support.help import article, editor, import_fixture_articles

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def articles():
    import_fixture_articles()


def counts(slug: str = "slow-internet") -> tuple[int, int]:
    found = article(slug)
    return found.helpful_count, found.not_helpful_count


def test_one_vote_per_voter():
    slow = article("slow-internet")
    for _ in range(3):
        vote(article_id=slow.pk, voter=person_voter(7), helpful=True)
    vote(article_id=slow.pk, voter=visitor_voter("session-a"), helpful=True)
    assert counts() == (2, 0)
    assert ArticleFeedback.objects.count() == 2


def test_changing_the_answer_moves_the_vote():
    slow = article("slow-internet")
    vote(article_id=slow.pk, voter=person_voter(7), helpful=True)
    vote(article_id=slow.pk, voter=person_voter(7), helpful=False)
    assert counts() == (0, 1)
    vote(article_id=slow.pk, voter=person_voter(7), helpful=True)
    assert counts() == (1, 0)


@settings(max_examples=examples(25), deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.booleans()), max_size=20))
def test_the_counters_equal_the_last_answer_of_each_voter(answers):
    slow = article("slow-internet")
    ArticleFeedback.objects.all().delete()
    slow.helpful_count = slow.not_helpful_count = 0
    slow.save()
    last: dict[int, bool] = {}
    for voter, helpful in answers:
        ratelimit.reset(feedback.VOTES, person_voter(voter))
        vote(article_id=slow.pk, voter=person_voter(voter), helpful=helpful)
        last[voter] = helpful
    assert counts() == (sum(last.values()), len(last) - sum(last.values()))


def test_a_visitor_key_is_a_hash_not_the_session_key():
    key = visitor_voter("abcdef123")
    assert "abcdef123" not in key
    assert len(key) <= 64


def test_too_many_answers_are_refused_and_not_counted():
    slow = article("slow-internet")
    for _ in range(feedback.VOTES.count):
        vote(article_id=slow.pk, voter=person_voter(9), helpful=True)
    with pytest.raises(SupportError) as refused:
        vote(article_id=slow.pk, voter=person_voter(9), helpful=False)
    assert refused.value.code == "limit"
    assert counts() == (1, 0)


def test_a_withdrawn_article_takes_no_answers():
    slow = article("slow-internet")
    publishing.withdraw(article_id=slow.pk, by=editor())
    with pytest.raises(SupportError) as refused:
        vote(article_id=slow.pk, voter=person_voter(7), helpful=True)
    assert refused.value.code == "not_found"
    assert counts() == (0, 0)
