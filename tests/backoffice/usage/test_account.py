"""The staff's usage lookup for an account: each service's cycles and recent sessions, a
session's records a page at a time, the RADIUS username with its "Change" link, and
the hub's usage section; who may open it, and that opening it is audited."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from dropline.catalog.models import Plan
from dropline.core import clock
from dropline.core.models import AuditEvent
from dropline.subscriptions.models import Subscription
from dropline.subscriptions.ordering import subscribe
from dropline.usage.models import GB
from tests.support.usage_alerts import (
    NOW,
    Household,
    at,
    household,
    session,
    staff_with,
    use_gb,
    visible_text,
)

pytestmark = pytest.mark.django_db

VIEW = "usage.view_usagecycle"
HUB = "customers.view_customeraccount"


def usage_url(home: Household) -> str:
    return reverse("backoffice:usage_account", args=[home.account.number])


def session_url(home: Household, session_id: int) -> str:
    return reverse("backoffice:usage_session", args=[home.account.number, session_id])


def get(client, url: str):
    with clock.frozen(NOW):
        return client.get(url)


@pytest.fixture
def home() -> Household:
    found = household()
    Subscription.objects.filter(pk=found.service.pk).update(radius_username="rivera-home")
    found.service.refresh_from_db()
    return found


def test_anonymous_visitors_go_to_the_staff_sign_in(client, home):
    opened = session(home.service, key="s-1", started_at=at(dt.date(2026, 11, 19)))
    for url in (usage_url(home), session_url(home, opened.pk)):
        response = client.get(url)
        assert response.status_code == 302
        assert urlsplit(response.url).path == reverse("backoffice:login")
    response = client.post(reverse("backoffice:usage_credit", args=[home.account.number]))
    assert urlsplit(response.url).path == reverse("backoffice:login")


def test_staff_without_the_permission_get_403(client, home):
    opened = session(home.service, key="s-1", started_at=at(dt.date(2026, 11, 19)))
    client.force_login(staff_with(HUB, "usage.add_usageadjustment"))
    assert get(client, usage_url(home)).status_code == 403
    assert get(client, session_url(home, opened.pk)).status_code == 403
    assert not AuditEvent.objects.filter(action="customer.viewed").exists()


def test_the_page_shows_each_cycle_used_credited_billable_and_allowance(client, home):
    earlier = home.cycle.previous()
    use_gb(home.service, 1300, cycle=earlier, credited=100 * GB)
    use_gb(home.service, 450)
    client.force_login(staff_with(VIEW))
    response = get(client, usage_url(home))
    assert response.status_code == 200
    html = response.content.decode()
    rows = re.findall(
        r"<tr>.*?</tr>",
        html.split("usage-cycles", 1)[1].split("<tbody>")[1].split("</tbody>")[0],
        re.S,
    )
    assert [visible_text(row) for row in rows] == [
        "Nov. 3, 2026 to Dec. 2, 2026 Current 450 GB — 450 GB 1.2 TB",
        "Oct. 3, 2026 to Nov. 2, 2026 1.3 TB 100 GB 1.2 TB 1.2 TB",
    ]
    assert "rivera-home" in html


def test_opening_the_page_is_audited_as_opening_the_account(client, home):
    staff = staff_with(VIEW)
    client.force_login(staff)
    get(client, usage_url(home))
    event = AuditEvent.objects.get(action="customer.viewed")
    assert event.actor == staff
    assert event.account_number == home.account.number


def test_recent_sessions_and_a_sessions_records_newest_first_a_page_at_a_time(client, home):
    started = at(dt.date(2026, 11, 19), hour=8)
    opened = session(home.service, key="acct-0001", started_at=started, records=60, nas="bng-7")
    session(home.service, key="acct-0002", started_at=at(dt.date(2026, 11, 18)), stopped=True)
    client.force_login(staff_with(VIEW))
    text = visible_text(get(client, usage_url(home)).content.decode())
    assert "acct-0001 bng-7 Nov. 19, 2026, 8 a.m. Nov. 19, 2026, 5:50 p.m. Still open 6 GB" in text
    assert "acct-0002" in text
    first = get(client, session_url(home, opened.pk)).content.decode()
    times = re.findall(r'<time datetime="([^"]+)"', first)
    assert len(times) == 50
    assert times[0].startswith("2026-11-19T17:50")
    assert times == sorted(times, reverse=True)
    assert 'rel="next"' in first
    second = get(client, session_url(home, opened.pk) + "?page=2").content.decode()
    assert len(re.findall(r'<time datetime="', second)) == 10
    assert AuditEvent.objects.filter(action="customer.viewed").count() == 3


def test_another_accounts_session_is_not_found(client, home):
    other = household(username="other")
    theirs = session(other.service, key="theirs", started_at=at(dt.date(2026, 11, 19)))
    unknown = session(None, key="kept-aside", started_at=at(dt.date(2026, 11, 19)))
    client.force_login(staff_with(VIEW))
    assert get(client, session_url(home, theirs.pk)).status_code == 404
    assert get(client, session_url(home, unknown.pk)).status_code == 404
    assert get(client, session_url(other, theirs.pk)).status_code == 200


def test_an_unknown_account_is_not_found(client):
    client.force_login(staff_with(VIEW))
    assert get(client, "/backoffice/usage/accounts/000000000000/").status_code == 404


def test_the_username_change_link_is_for_staff_who_map_usernames(client, home):
    path = f"/backoffice/usage/services/{home.service.pk}/username/"
    client.force_login(staff_with(VIEW))
    assert path not in get(client, usage_url(home)).content.decode()
    client.force_login(staff_with(VIEW, "usage.map_usernames", username="mapper"))
    html = get(client, usage_url(home)).content.decode()
    assert f'href="{path}"' in html


def test_mobile_lines_show_without_a_username(client, home):
    mobile = Plan.objects.create(
        code="by-the-gig",
        kind="mobile",
        name="By the Gig",
        monthly_price_cents=1500,
        price_per_gb="10.0000",
    )
    subscribe(account=home.account, plan=mobile, phone_number="+13195550199")
    client.force_login(staff_with(VIEW))
    text = visible_text(get(client, usage_url(home)).content.decode())
    assert "By the Gig (319) 555-0199" in text
    assert text.count("RADIUS username") == 1
    assert "Unlimited" in text


def hub(client, home: Household) -> str:
    return visible_text(
        get(client, reverse("backoffice:customer", args=[home.account.number])).content.decode()
    )


def test_the_hub_shows_usage_to_staff_who_may_read_it(client, home):
    use_gb(home.service, 450)
    client.force_login(staff_with(HUB))
    assert "Usage, sessions and data credits" not in hub(client, home)
    client.force_login(staff_with(HUB, VIEW, username="reader"))
    text = hub(client, home)
    assert "Usage Service This bill cycle Billable Allowance" in text
    assert "Internet 500 Nov. 3, 2026 to Dec. 2, 2026 450 GB 1.2 TB" in text
    assert "Usage, sessions and data credits" in text


def test_the_hub_has_no_usage_section_without_internet_or_mobile(client, make_customer):
    account = make_customer(username="tvonly", services=0).account
    subscribe(
        account=account,
        plan=Plan.objects.create(code="tv", kind="tv", name="TV", monthly_price_cents=4000),
    )
    client.force_login(staff_with(HUB, VIEW))
    with clock.frozen(NOW):
        html = client.get(reverse("backoffice:customer", args=[account.number])).content.decode()
    assert "hub-usage" not in html
    text = visible_text(
        get(client, reverse("backoffice:usage_account", args=[account.number])).content.decode()
    )
    assert "This account has no internet or mobile service." in text
