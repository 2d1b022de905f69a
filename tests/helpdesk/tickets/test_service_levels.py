"""Service levels: every category has hours (its own or the default); staff set them from
1 to 720, audited, and anything else is refused naming the field with nothing written."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dropline.accounts.models import User
from dropline.core.models import AuditEvent
from dropline.helpdesk.errors import SupportError
from dropline.helpdesk.models import ServiceLevel, TicketCategory
from dropline.helpdesk.tickets.service_levels import (
    MAX_HOURS,
    MIN_HOURS,
    service_levels,
    set_response_hours,
)
from tests.support.examples import examples
from tests.support.staff import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user():
    return make_staff(username="levels", role="Administrator")


def test_every_category_has_hours_from_the_default_table():
    levels = service_levels()
    assert [level.category for level in levels] == list(TicketCategory.values)
    assert all(level.is_default and MIN_HOURS <= level.hours <= MAX_HOURS for level in levels)


def test_setting_hours_is_saved_shown_and_audited(admin_user):
    before = next(lv.hours for lv in service_levels() if lv.category == "billing")
    set_response_hours(category="billing", hours=8, by=admin_user)
    shown = next(lv for lv in service_levels() if lv.category == "billing")
    assert (shown.hours, shown.is_default) == (8, False)
    event = AuditEvent.objects.get(action="service_level.changed")
    assert event.data == {"category": "billing", "before": before, "after": 8}
    set_response_hours(category="billing", hours=12, by=admin_user)
    assert ServiceLevel.objects.get(category="billing").response_hours == 12
    assert AuditEvent.objects.filter(action="service_level.changed").count() == 2


@settings(max_examples=examples(40), deadline=None)
@given(hours=st.integers(min_value=-10_000, max_value=10_000))
def test_only_1_to_720_hours_are_taken(hours):
    admin_user = User.objects.filter(username="levels").first() or make_staff(
        username="levels", role=None
    )
    if MIN_HOURS <= hours <= MAX_HOURS:
        set_response_hours(category="tv", hours=hours, by=admin_user)
        assert ServiceLevel.objects.get(category="tv").response_hours == hours
    else:
        with pytest.raises(SupportError) as refused:
            set_response_hours(category="tv", hours=hours, by=admin_user)
        assert refused.value.field == "hours"
        assert not ServiceLevel.objects.filter(response_hours=hours).exists()
    ServiceLevel.objects.all().delete()


def test_an_unknown_category_is_refused(admin_user):
    with pytest.raises(SupportError) as refused:
        set_response_hours(category="pets", hours=4, by=admin_user)
    assert refused.value.field == "category"
    assert not ServiceLevel.objects.exists()
    assert not AuditEvent.objects.exists()
