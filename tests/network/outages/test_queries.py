"""What is current, ahead and recently over, per area and per account."""

from __future__ import annotations

import datetime as dt

import pytest

from dropline.core import clock
from dropline.network.models import Outage, OutageStatus
from dropline.network.outages import declaring, queries, watching
from tests.support.notifications import area, make_person
from tests.support.outages import declare_outage, plan_maintenance

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 10, 18, 0, tzinfo=dt.UTC)


def test_current_upcoming_and_recent_for_an_account():
    ana = make_person(username="ana", area_code="north")
    with clock.frozen(NOW - dt.timedelta(days=3)):
        old = declare_outage(areas=[area("north")])
        declaring.resolve(outage=old, resolved_by=None)
    with clock.frozen(NOW - dt.timedelta(days=10)):
        older = declare_outage(areas=[area("north")])
        declaring.resolve(outage=older, resolved_by=None)
    with clock.frozen(NOW):
        now_on = declare_outage(areas=[area("north"), area("south")])
        ahead = plan_maintenance(areas=[area("north")], starts_at=NOW + dt.timedelta(days=7))
        window_on = plan_maintenance(areas=[area("north")], starts_at=NOW - dt.timedelta(hours=1))
        window_over = plan_maintenance(
            areas=[area("north")], starts_at=NOW - dt.timedelta(hours=9), hours=2
        )
        elsewhere = declare_outage(areas=[area("east")])
        found = queries.for_account(account=ana.account)
    assert found.area == area("north")
    assert [o.pk for o in found.current] == [window_on.pk, now_on.pk]
    assert [o.pk for o in found.upcoming] == [ahead.pk]
    assert [o.pk for o in found.recent] == [old.pk]
    assert not found.all_well
    shown = {o.pk for o in found.current + found.upcoming + found.recent}
    assert not shown & {older.pk, elsewhere.pk, window_over.pk}
    # each comes with its story, oldest first
    assert [u.status for u in found.recent[0].updates.all()] == [
        OutageStatus.INVESTIGATING,
        OutageStatus.RESOLVED,
    ]
    assert queries.current_for_area(service_area_id=area("north").pk, at=NOW) == [
        window_on,
        now_on,
    ]
    assert queries.current_for_area(service_area_id=area("south").pk, at=NOW) == [now_on]
    assert queries.current_for_area(
        service_area_id=area("north").pk, at=NOW + dt.timedelta(days=7, hours=1)
    ) == [now_on, ahead]


def test_all_is_well_when_nothing_is_on():
    ana = make_person(username="ana", area_code="north")
    with clock.frozen(NOW):
        declare_outage(areas=[area("south")])
        assert queries.for_account(account=ana.account).all_well


def test_only_an_open_outage_in_your_area_can_be_watched():
    ana = make_person(username="ana", area_code="north")
    with clock.frozen(NOW):
        here = declare_outage(areas=[area("north")])
        elsewhere = declare_outage(areas=[area("east")])
        over = declare_outage(areas=[area("north")])
        declaring.resolve(outage=over, resolved_by=None)
        watched = watching.watch(account=ana.account, user=ana.user, outage_id=here.pk)
        for outage_id in (elsewhere.pk, over.pk, 987654):
            with pytest.raises(Outage.DoesNotExist):
                watching.watch(account=ana.account, user=ana.user, outage_id=outage_id)
        assert queries.watched_ids(user=ana.user, outage_ids=[here.pk, elsewhere.pk]) == {here.pk}
        assert watched.account == ana.account
        assert watching.unwatch(account=ana.account, user=ana.user, outage_id=here.pk)
        assert not watching.unwatch(account=ana.account, user=ana.user, outage_id=here.pk)
        with pytest.raises(Outage.DoesNotExist):
            watching.unwatch(account=ana.account, user=ana.user, outage_id=elsewhere.pk)


def test_the_public_list_has_every_area_with_its_state():
    with clock.frozen(NOW):
        declare_outage(areas=[area("north")])
        plan_maintenance(areas=[area("south")], starts_at=NOW + dt.timedelta(days=1))
        area("east")
        states = {s.area.code: s for s in queries.public_areas()}
    assert {code: s.state for code, s in states.items()} == {
        "north": "outage",
        "south": "ok",
        "east": "ok",
    }
    assert len(states["south"].upcoming) == 1
