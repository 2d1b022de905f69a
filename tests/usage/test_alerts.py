"""Usage alerts as the customer receives them: 75%, 90% and 100% of the allowance once
per cycle each, only the highest of several crossed at once, one per extra block, a
projected-overage warning after the cycle's first days, in the person's language and
by the channels they chose; nothing below 75% and nothing for a plan with no
allowance."""

from __future__ import annotations

import datetime as dt

import pytest

from dropline.core import clock
from dropline.notifications.models import Message
from dropline.notifications.preferences import set_preferences, set_quiet_hours
from dropline.usage import alerts
from dropline.usage.models import GB, AlertKind, UsageAlert
from tests.support.usage_alerts import (
    NOW,
    Household,
    allowance_plan,
    at,
    household,
    use_gb,
)

pytestmark = pytest.mark.django_db


def check(home: Household, now: dt.datetime = NOW) -> int:
    with clock.frozen(now):
        return alerts.check(subscription_ids=[home.service.pk], now=now)


def events(home: Household, channel: str = "email") -> list[str]:
    return list(
        Message.objects.filter(user=home.holder, channel=channel)
        .order_by("id")
        .values_list("event", flat=True)
    )


def email(home: Household, event: str) -> Message:
    return Message.objects.get(user=home.holder, channel="email", event=event)


def test_nothing_below_75_percent():
    home = household()
    use_gb(home.service, 899.9)
    assert check(home, at(dt.date(2026, 12, 1))) == 0  # on pace for 947 GB
    assert not Message.objects.exists()
    assert not UsageAlert.objects.exists()


def test_75_percent_tells_the_holder_once_on_every_channel_they_have():
    home = household()
    use_gb(home.service, 900)
    assert check(home) == 3
    assert sorted(Message.objects.values_list("channel", flat=True)) == ["email", "in_app", "sms"]
    message = email(home, "usage_75")
    assert message.subject == "You've used 75% of your data this cycle"
    assert (
        "You've used 900 GB (75%) of your 1.2 TB on Internet 500 this cycle, "
        "which ends Dec. 2, 2026." in message.body_text
    )
    assert "Past your allowance, extra data is billed in blocks of 50 GB at $10.00 each." in (
        message.body_text
    )
    assert "We never charge more than $100.00 a cycle for extra data." in message.body_text
    assert "http://127.0.0.1:8000/usage/" in message.body_text
    assert 'href="http://127.0.0.1:8000/usage/"' in message.body_html
    assert message.link == "/usage/"
    assert message.category == "usage"
    sms = Message.objects.get(channel="sms")
    assert sms.body_text == (
        "Dropline: you've used 900 GB (75%) of your 1.2 TB this cycle, which ends "
        "Dec. 2, 2026. http://127.0.0.1:8000/usage/"
    )
    # Asked again, and with more use still under 90%: nothing new.
    assert check(home) == 0
    use_gb(home.service, 1000)
    assert check(home) == 0
    assert events(home) == ["usage_75"]


def test_each_level_once_in_order():
    home = household()
    for gb in (900, 1080, 1200):
        use_gb(home.service, gb)
        check(home)
        check(home)
    assert events(home) == ["usage_75", "usage_90", "usage_100"]
    message = email(home, "usage_100")
    assert message.subject == "You've used all of your data this cycle"
    assert "You've used 1.2 TB on Internet 500 this cycle: all of your 1.2 TB." in (
        message.body_text
    )


def test_a_jump_past_two_levels_tells_only_the_highest_and_never_the_lower_later():
    home = household()
    late = at(dt.date(2026, 12, 1))  # late in the cycle: no projected warning
    use_gb(home.service, 840)  # 70%
    assert check(home, late) == 0
    use_gb(home.service, 1140)  # 95%
    assert check(home, late) == 3
    assert events(home) == ["usage_90"]
    assert "You've used 1.1 TB (95%) of your 1.2 TB" in email(home, "usage_90").body_text
    assert set(UsageAlert.objects.values_list("kind", flat=True)) == {"75", "90"}
    check(home)
    assert events(home) == ["usage_90"]


def test_one_alert_per_extra_block_beyond_the_first_and_none_past_the_cap():
    home = household()
    use_gb(home.service, 1210)  # 100% and into the first block
    check(home)
    assert events(home) == ["usage_100"]
    use_gb(home.service, 1249)  # still the first block
    check(home)
    assert events(home) == ["usage_100"]
    use_gb(home.service, 1251)  # the second block started
    check(home)
    assert events(home) == ["usage_100", "usage_block"]
    message = email(home, "usage_block")
    assert message.subject == "Another block of extra data this cycle"
    assert (
        "You've used 1.3 TB on Internet 500 this cycle, 51 GB past your 1.2 TB, so extra "
        "block 2 of 50 GB has started. Extra data this cycle comes to $20.00 so far"
    ) in message.body_text
    use_gb(home.service, 1360)  # blocks 3 and 4 at once: only the 4th is told
    check(home)
    blocks = UsageAlert.objects.filter(kind=AlertKind.BLOCK).order_by("block")
    assert list(blocks.values_list("block", flat=True)) == [2, 3, 4]
    assert "$40.00 so far" in Message.objects.filter(channel="email").latest("id").body_text
    use_gb(home.service, 5000)  # far past the $100.00 cap: the 10th block is the last
    check(home)
    assert UsageAlert.objects.filter(kind=AlertKind.BLOCK).count() == 9
    assert "$100.00 so far" in Message.objects.filter(channel="email").latest("id").body_text
    use_gb(home.service, 6000)
    assert check(home) == 0


def test_projected_overage_once_and_only_after_the_first_three_days():
    home = household()
    cycle = home.cycle
    use_gb(home.service, 300)  # on day 2: on pace for 4.5 TB, but too early to say
    assert check(home, at(cycle.start + dt.timedelta(days=1))) == 0
    use_gb(home.service, 500)  # on day 5 at noon: about 3.3 TB by the end of the cycle
    assert check(home, at(cycle.start + dt.timedelta(days=4))) == 3
    message = email(home, "usage_projected")
    assert message.subject == "You're on pace to go over your data this cycle"
    assert "At your pace you'll use about 3.3 TB on Internet 500 by the end of this cycle" in (
        message.body_text
    )
    assert "So far you've used 500 GB (41%)." in message.body_text
    use_gb(home.service, 600)
    assert check(home, at(cycle.start + dt.timedelta(days=6))) == 0
    assert events(home) == ["usage_projected"]


def test_no_projected_warning_on_a_pace_under_the_allowance():
    home = household()
    use_gb(home.service, 600)  # Nov 20 noon, 17.5 of 30 days: about 1 TB by Dec 2
    check(home)
    assert not Message.objects.exists()


def test_usage_email_switched_off_sends_no_email_but_the_rest():
    home = household()
    set_preferences(user=home.holder, grid={"usage": {"email": False}})
    use_gb(home.service, 900)
    check(home)
    assert sorted(Message.objects.values_list("channel", flat=True)) == ["in_app", "sms"]
    # The level counts as told: turning email back on does not send it late.
    set_preferences(user=home.holder, grid={"usage": {"email": True}})
    check(home)
    assert events(home) == []


def test_a_text_message_waits_for_the_end_of_quiet_hours():
    home = household()
    set_quiet_hours(
        user=home.holder, starts=dt.time(9), ends=dt.time(17), time_zone="America/Chicago"
    )
    use_gb(home.service, 900)
    noon_in_iowa = dt.datetime(2026, 11, 20, 12, tzinfo=dt.timezone(dt.timedelta(hours=-6)))
    check(home, noon_in_iowa)
    sms = Message.objects.get(channel="sms")
    assert sms.not_before == dt.datetime(2026, 11, 20, 23, tzinfo=dt.UTC)
    assert Message.objects.get(channel="email").not_before == noon_in_iowa


def test_authorized_users_are_told_too():
    from dropline.customers.models import MemberRole
    from dropline.customers.onboarding import add_member
    from tests.support.factories import make_user

    home = household()
    helper = make_user(username="helper")
    add_member(account=home.account, user=helper, role=MemberRole.AUTHORIZED)
    use_gb(home.service, 900)
    check(home)
    told = set(Message.objects.filter(channel="in_app").values_list("user__username", flat=True))
    assert told == {"rivera", "helper"}


def test_a_new_cycle_alerts_again():
    home = household()
    use_gb(home.service, 1000)
    check(home)
    following = home.cycle.next()
    use_gb(home.service, 900, cycle=following)
    assert check(home, at(following.start + dt.timedelta(days=10))) == 3
    assert events(home) == ["usage_75", "usage_75"]
    assert (
        "which ends Jan. 2, 2027" in Message.objects.filter(channel="email").latest("id").body_text
    )


def test_spanish_for_a_customer_who_reads_spanish():
    home = household(language="es")
    use_gb(home.service, 900)
    check(home)
    message = email(home, "usage_75")
    assert message.language == "es"
    assert message.subject == "Ha usado el 75% de sus datos en este ciclo"
    assert "Ha usado 900 GB (75%) de sus 1,2 TB en Internet 500 (es)" in message.body_text
    assert "2 de diciembre de 2026" in message.body_text
    assert "bloques de 50 GB a $10.00 cada uno" in message.body_text
    assert "Dropline: ha usado 900 GB (75%)" in Message.objects.get(channel="sms").body_text


def test_credits_count_before_alerting():
    home = household()
    use_gb(home.service, 1000, credited=200 * GB)  # 800 GB billable: 66%
    assert check(home, at(dt.date(2026, 12, 1))) == 0


@pytest.mark.parametrize(
    "terms",
    [
        {"allowance_gb": None, "block_gb": None, "price_per_gb": "10.0000", "kind": "mobile"},
        {"allowance_gb": None},
    ],
    ids=["mobile by the gig", "unlimited internet"],
)
def test_no_allowance_no_alerts(terms):
    home = household(plan=allowance_plan(code="no-allowance", **terms))
    use_gb(home.service, 50_000)
    assert check(home) == 0
    assert alerts.due_for_check(now=NOW) == []


def test_no_overage_terms_say_extra_data_is_not_charged():
    home = household(plan=allowance_plan(code="soft-cap", block_gb=None, block_cents=0))
    use_gb(home.service, 1300)
    check(home)
    body = email(home, "usage_100").body_text
    assert "Your plan does not charge for extra data." in body
    assert "blocks" not in body
    assert UsageAlert.objects.filter(kind=AlertKind.BLOCK).count() == 0


def test_the_sweep_finds_services_at_a_level_not_yet_told():
    told, untold, under = household(username="a"), household(username="b"), household(username="c")
    for home, gb in ((told, 1100), (untold, 1100), (under, 800)):
        use_gb(home.service, gb)
    check(told)
    assert alerts.due_for_check(now=NOW) == [untold.service.pk]
    check(untold)
    assert alerts.due_for_check(now=NOW) == []
    use_gb(told.service, 1200)
    assert alerts.due_for_check(now=NOW) == [told.service.pk]


def test_the_tasks_check_and_sweep():
    from dropline.usage.tasks import check_alerts_task, sweep_alerts_task

    first, second = household(username="a"), household(username="b")
    use_gb(first.service, 900)
    use_gb(second.service, 1080)
    with clock.frozen(NOW):
        assert check_alerts_task.delay([first.service.pk]).get() == 3
        assert sweep_alerts_task.delay().get() == 3
        assert sweep_alerts_task.delay().get() == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_checking_at_once_send_one_alert():
    import importlib
    import threading

    from django.db import connection, connections

    from tests.support.services import need

    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    home = household()
    use_gb(home.service, 1140)
    barrier = threading.Barrier(2)
    results: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(alerts.check(subscription_ids=[home.service.pk], now=NOW))
        except BaseException as exc:  # reported by the test, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()

    with clock.frozen(NOW):
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    importlib.import_module("celery._state")._set_task_join_will_block(False)
    assert errors == []
    assert sorted(results) == [0, 3]
    assert events(home) == ["usage_90"]
    assert UsageAlert.objects.count() == 2
