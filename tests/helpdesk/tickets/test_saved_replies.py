"""Saved replies: staff add, change and retire them; each write is audited, bad input is
refused naming the field and writes nothing, and a retired reply leaves the picker."""

from __future__ import annotations

import pytest

from dropline.core.models import AuditEvent
from dropline.helpdesk.errors import SupportError
from dropline.helpdesk.models import SavedReply
from dropline.helpdesk.tickets.saved_replies import (
    add_saved_reply,
    change_saved_reply,
    picker_replies,
    retire_saved_reply,
)
from tests.support.staff import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent():
    return make_staff(username="agent", role="Customer care")


def _add(agent, **extra):
    values = {
        "title": "Restart the modem",
        "language": "en",
        "body": "Please unplug the modem for 30 seconds, then plug it back in.",
        **extra,
    }
    return add_saved_reply(by=agent, **values)


def test_an_added_reply_is_offered_and_audited(agent):
    reply = _add(agent, title="  Restart the modem  ")
    assert reply.title == "Restart the modem"
    assert list(picker_replies()) == [reply]
    event = AuditEvent.objects.get(action="saved_reply.added")
    assert event.actor == agent
    assert event.target_id == str(reply.pk)


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"title": "   "}, "title"),
        ({"title": "x" * 121}, "title"),
        ({"language": "fr"}, "language"),
        ({"body": ""}, "body"),
        ({"body": "x" * 5001}, "body"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(agent, extra, field):
    with pytest.raises(SupportError) as refused:
        _add(agent, **extra)
    assert refused.value.field == field
    assert refused.value.message
    assert not SavedReply.objects.exists()
    assert not AuditEvent.objects.filter(action="saved_reply.added").exists()


def test_the_same_title_twice_in_one_language_is_refused(agent):
    _add(agent)
    with pytest.raises(SupportError) as refused:
        _add(agent, title="restart THE modem")
    assert refused.value.field == "title"
    assert SavedReply.objects.count() == 1
    # The same title in the other language is another reply.
    _add(agent, language="es", body="Desconecte el módem 30 segundos y vuelva a conectarlo.")
    assert SavedReply.objects.count() == 2


def test_a_change_is_saved_and_audited_with_what_changed(agent):
    reply = _add(agent)
    change_saved_reply(
        saved_reply_id=reply.pk,
        title=reply.title,
        language="en",
        body="Unplug the modem for a full minute.",
        by=agent,
    )
    reply.refresh_from_db()
    assert reply.body == "Unplug the modem for a full minute."
    event = AuditEvent.objects.get(action="saved_reply.changed")
    assert event.data == {"changed": ["body"]}


def test_a_refused_change_leaves_the_reply_as_it_was(agent):
    reply = _add(agent)
    with pytest.raises(SupportError) as refused:
        change_saved_reply(saved_reply_id=reply.pk, title="", language="en", body="Other", by=agent)
    assert refused.value.field == "title"
    reply.refresh_from_db()
    assert reply.title == "Restart the modem"
    assert not AuditEvent.objects.filter(action="saved_reply.changed").exists()


def test_a_retired_reply_leaves_the_picker_and_cannot_be_changed(agent):
    reply = _add(agent)
    retire_saved_reply(saved_reply_id=reply.pk, by=agent)
    assert list(picker_replies()) == []
    assert AuditEvent.objects.filter(action="saved_reply.retired").count() == 1
    with pytest.raises(SupportError):
        retire_saved_reply(saved_reply_id=reply.pk, by=agent)
    with pytest.raises(SupportError):
        change_saved_reply(
            saved_reply_id=reply.pk, title="New", language="en", body="New", by=agent
        )
    # Its title is free again.
    _add(agent)
    assert SavedReply.objects.filter(is_active=True).count() == 1


def test_the_picker_offers_the_customers_language_first(agent):
    english = _add(agent)
    spanish = _add(agent, language="es", body="Desconecte el módem.")
    other = _add(agent, title="Bill questions", body="Your bill lists each charge.")
    assert list(picker_replies(language="es")) == [spanish, other, english]
    assert list(picker_replies(language="en")) == [other, english, spanish]


def test_an_unknown_reply_is_not_found(agent):
    with pytest.raises(SupportError) as refused:
        retire_saved_reply(saved_reply_id=999_999, by=agent)
    assert refused.value.code == "not_found"
