"""Every step the flow can reach has words in English and in Spanish: a headline, what to
do, a label for each of its buttons and each checklist item; the steps taken read as
sentences; and what is booked for the technician fits the visit's details."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from dropline.helpdesk.troubleshooting import phrases, story, words
from dropline.helpdesk.troubleshooting.flows import next_step
from dropline.helpdesk.troubleshooting.steps import PROBLEMS, Situation, Taken
from tests.support.diagnosis import any_facts
from tests.support.examples import examples
from tests.support.troubleshooting import STARTED, taken


@settings(max_examples=examples(150), deadline=None)
@given(
    problem=st.sampled_from(PROBLEMS),
    moments=st.lists(
        st.tuples(any_facts, st.integers(min_value=0, max_value=5)), min_size=1, max_size=6
    ),
)
def test_every_reachable_step_is_said_in_both_languages(problem, moments):
    history: list[Taken] = []
    for found, pick in moments:
        where = Situation(facts=found, started_at=STARTED, tv_outage_ids=frozenset({1, 2}))
        step = next_step(problem, where, history)
        said = {
            language: words.step_words(problem, step, facts=found, restart=None, language=language)
            for language in ("en", "es")
        }
        for language, text in said.items():
            assert text.headline, (step, language)
            assert set(text.buttons) == set(step.answers), (step, language)
            assert all(text.buttons.values())
            assert all(label for _code, label in text.checklist)
        assert said["en"].headline != said["es"].headline
        if step.ends:
            history.append(taken(step))
            break
        if step.answers:
            history.append(taken(step, step.answers[pick % len(step.answers)], ticked=["power"]))
    for language in ("en", "es"):
        lines = story.taken_words(problem, history, language=language)
        assert all(line.endswith(".") for line in lines)
        details = story.booking_details(problem, history, step, language=language)
        assert details.startswith(phrases.problem_words(problem) if language == "en" else "Mi ")
        assert len(details) <= story.DETAILS_LIMIT


def test_an_eta_gone_by_is_said_as_taking_longer():
    from dropline.core import clock
    from dropline.helpdesk.troubleshooting.steps import Step, StepKind

    now = dt.datetime(2026, 12, 4, 18, 0, tzinfo=dt.UTC)
    with clock.frozen(now):
        late = words.step_words(
            "internet_down",
            Step(kind=StepKind.OUTAGE, outage_id=1, eta=now - dt.timedelta(hours=1)),
            facts=None,
            restart=None,
            language="en",
        )
    assert "it is taking longer" in late.detail
    assert "There is no need to restart your equipment." in late.detail
