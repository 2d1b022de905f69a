"""The data usage page and the overview's card: what a customer reads, in both
languages, and what they must never see (another account's usage)."""

from __future__ import annotations

import base64
import datetime as dt
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dropline.core import clock
from dropline.core.formatting import display_date
from dropline.customers.models import MemberRole
from dropline.customers.onboarding import add_member
from dropline.usage.adjustments import credit_data
from dropline.usage.amounts import data_amount
from tests.support.factories import make_user
from tests.support.usage_meter import (
    CYCLE_START,
    NOON,
    add_line,
    gb,
    internet_plan,
    metered_customer,
    mobile_plan,
    record_days,
    spread,
)

pytestmark = pytest.mark.django_db

TODAY = NOON.date()


def charts(html: str) -> list[str]:
    """The pictures on the page, as SVG (they come with it as ``data:`` images)."""
    found = re.findall(r'<img src="data:image/svg\+xml;base64,([^"]+)"', html)
    return [base64.b64decode(data).decode() for data in found]


def text(response) -> str:
    """The page's words without tags, spaces squeezed."""
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return unescape(" ".join(re.sub(r"<[^>]+>", " ", main).split()))


@pytest.fixture(autouse=True)
def noon():
    with clock.frozen(NOON):
        yield


def _household(client, username="meter", *, used=None, plan=None):
    customer, internet = metered_customer(username, plan=plan)
    record_days(internet, spread(gb(612) if used is None else used, first=CYCLE_START, last=TODAY))
    client.force_login(customer.user)
    return customer, internet


def test_a_meter_says_what_is_used_of_what_with_the_days_left_and_the_pace(client):
    _household(client)
    words = text(client.get("/usage/"))
    # 612 GB in 21.5 days of a 30-day cycle: 854 GB by its end.
    assert "612 GB of 1.2 TB used · 9 days left · on pace for 854 GB" in words
    assert "over" not in words
    html = client.get("/usage/").content.decode()
    assert '<meter id="usage-' in html
    assert f'max="{gb(1200)}" value="{gb(612)}"' in html


def test_projected_over_the_allowance_says_by_how_much_and_what_it_would_cost(client):
    _household(client, used=gb(1000))
    words = text(client.get("/usage/"))
    # 1,000 GB in 21.5 days: about 1,395 GB, 195 GB over: 4 blocks of 50 GB.
    assert "1 TB of 1.2 TB used · 9 days left · on pace for 1.4 TB" in words
    assert (
        "At this pace you'll use about 1.4 TB, 195 GB over: about $40.00 extra. "
        "Extra data costs $10.00 per 50 GB, at most $100.00 a month."
    ) in words


def test_already_over_says_so_and_the_cost_stops_at_the_cap(client):
    _household(client, used=gb(1500))
    words = text(client.get("/usage/"))
    assert "You have used 300 GB more than your allowance so far: $60.00 extra." in words
    # 1,500 GB in 21.5 days is 2,093 GB by the end: 18 blocks, but at most $100.
    assert "At this pace you'll use about 2.1 TB, 893 GB over: about $100.00 extra." in words


def test_a_goodwill_credit_lowers_what_counts(client):
    customer, internet = metered_customer("credited")
    record_days(
        internet,
        spread(gb(700), first=CYCLE_START, last=TODAY),
        credited={CYCLE_START: gb(100)},
    )
    client.force_login(customer.user)
    assert "600 GB of 1.2 TB used" in text(client.get("/usage/"))


def test_an_unlimited_plan_says_so(client):
    _household(client, plan=internet_plan(allowance_gb=None, block_gb=None, cap_cents=None))
    words = text(client.get("/usage/"))
    assert "Unlimited data: 612 GB used so far · 9 days left" in words
    assert "<meter" not in client.get("/usage/").content.decode()
    assert "Allowance" not in words


def test_mobile_lines_by_the_gig(client):
    customer, _internet = _household(client)
    line = add_line(customer, phone="+13195550142", plan=mobile_plan(price_per_gb="15.00"))
    record_days(line, spread(gb(2), first=CYCLE_START, last=TODAY))
    words = text(client.get("/usage/"))
    assert "(319) 555-0142" in words
    # 2 GB so far at $15 a GB; 2.79 GB by the end of the cycle.
    assert (
        "2 GB used so far, $30.00 of data · 9 days left · on pace for 2.8 GB, about $45.00"
    ) in words
    assert "Data costs $15.00 per GB used." in words


def test_the_daily_table_has_every_day_of_the_cycle_so_far_with_zeros(client):
    customer, internet = metered_customer("daily")
    record_days(internet, {CYCLE_START: gb(3), TODAY: gb("1.5")})
    client.force_login(customer.user)
    html = client.get("/usage/").content.decode()
    table = html[html.index('class="bill-table usage-daily"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r'<th scope="row">([^<]+)</th><td class="num">([^<]+)</td>', table)
    days = [CYCLE_START + dt.timedelta(days=n) for n in range(22)]
    expected = [(display_date(day), "0 GB") for day in days]
    expected[0] = (display_date(CYCLE_START), "3 GB")
    expected[-1] = (display_date(TODAY), "1.5 GB")
    assert [(unescape(d), v) for d, v in rows[:-1]] == expected
    # The allowance's share of a day: 1,200 GB over 30 days.
    assert rows[-1][1] == "40 GB"


def test_the_charts_show_the_same_figures_as_the_tables(client):
    customer, internet = metered_customer("charts")
    used = {CYCLE_START + dt.timedelta(days=n): gb(n + 1) for n in range(22)}
    record_days(internet, used)
    record_days(internet, spread(gb(900), first=dt.date(2026, 9, 15), last=dt.date(2026, 10, 14)))
    client.force_login(customer.user)
    html = client.get("/usage/").content.decode()

    def table_values(css: str) -> list[str]:
        table = html[html.index(f'class="bill-table {css}"') :]
        body = table[table.index("<tbody>") : table.index("</tbody>")]
        return re.findall(r'<td class="num">([^<]+)</td>', body)

    daily_svg, history_svg = charts(html)
    assert "<script" not in daily_svg
    bars = re.findall(r'<desc class="value">([^<]+)</desc>', daily_svg)
    assert bars == table_values("usage-daily") == [data_amount(b) for b in used.values()]

    bars = re.findall(r'<desc class="value">([^<]+)</desc>', history_svg)
    used_column = table_values("usage-history")[::2]  # used, allowance, used, ...
    assert bars == used_column
    assert len(bars) == 12
    assert bars[-3:] == ["900 GB", "0 GB", data_amount(sum(used.values()))]
    assert '<title id="usage-history-' in history_svg
    assert "Data use in your last bill cycles" in history_svg
    # Each picture is described in words for a screen reader, on the page too.
    assert 'alt="Data used in each of your last 12 bill cycles' in html


def test_the_history_starts_when_the_service_did(client):
    customer, _internet = metered_customer("newer", started_on=dt.date(2026, 9, 20))
    client.force_login(customer.user)
    html = client.get("/usage/").content.decode()
    table = html[html.index('class="bill-table usage-history"') :]
    starts = re.findall(r'<th scope="row">([^<(]+)', table[: table.index("</table>")])
    assert [s.strip() for s in starts] == [
        display_date(dt.date(2026, 9, 15)),
        display_date(dt.date(2026, 10, 15)),
        display_date(CYCLE_START),
    ]


def test_in_spanish(client):
    _household(client, used=gb(1000))
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    words = text(client.get("/usage/"))
    assert "Uso de datos" in words
    assert "1 TB de 1,2 TB usados · quedan 9 días · a este ritmo llegará a 1,4 TB" in words
    assert "A este ritmo usará unos 1,4 TB, 195 GB por encima: unos $40.00 adicionales." in words
    assert (
        "Los datos adicionales cuestan $10.00 por cada 50 GB, como máximo $100.00 al mes."
    ) in words
    assert "15 de noviembre de 2026" in words
    overview = text(client.get("/"))
    assert "Datos usados en este ciclo" in overview
    daily_svg, _history_svg = charts(client.get("/usage/").content.decode())
    assert "Uso diario en este ciclo de facturación" in daily_svg


def test_the_overview_card_shows_the_meter_and_links_to_the_page(client):
    _household(client)
    response = client.get("/")
    words = text(response)
    assert (
        "Data used this cycle 51% 612 GB of 1.2 TB used · 9 days left · on pace for 854 GB"
    ) in words
    assert 'href="/usage/"' in response.content.decode()
    assert "Data usage" in response.content.decode()  # in the navigation


def test_an_account_without_internet_or_mobile_says_so_and_the_overview_has_no_card(client):
    customer, internet = metered_customer("tvonly")
    internet.delete()
    client.force_login(customer.user)
    assert "no internet service or mobile line" in text(client.get("/usage/"))
    assert "Data used this cycle" not in text(client.get("/"))


def test_another_accounts_service_is_not_found_and_never_shown(client):
    _household(client, "mine")
    _theirs, their_internet = metered_customer("theirs", label="Theirs only")
    record_days(their_internet, {TODAY: gb(777)})
    page = text(client.get("/usage/"))
    assert "Theirs only" not in page
    assert "777 GB" not in page
    assert "777 GB" not in "".join(charts(client.get("/usage/").content.decode()))


def test_the_page_follows_the_account_chosen_on_the_overview(client):
    customer, _internet = _household(client, "switcher")
    other, other_internet = metered_customer("second", label="Cabin internet")
    record_days(other_internet, {TODAY: gb(5)})
    add_member(account=other.account, user=customer.user, role=MemberRole.AUTHORIZED)
    assert "Cabin internet" not in text(client.get("/usage/"))
    client.post(reverse("portal:switch_account"), {"account": other.account.pk})
    words = text(client.get("/usage/"))
    assert "Cabin internet" in words
    assert "5 GB of 1.2 TB used" in words


def _count(client, url: str) -> int:
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len([q for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]])


def test_the_page_reads_a_fixed_number_of_queries(client, memory_cache):
    small, internet = metered_customer("small")
    record_days(internet, {TODAY: gb(1)})
    big, first = metered_customer("big")
    record_days(first, spread(gb(300), first=dt.date(2026, 1, 1), last=TODAY))
    for n in range(5):
        line = add_line(big, phone=f"+1319555020{n}")
        record_days(line, spread(gb(2), first=CYCLE_START, last=TODAY))
    client.force_login(small.user)
    small_count = _count(client, "/usage/")
    client.force_login(big.user)
    big_count = _count(client, "/usage/")
    # session (read, renew), user, session tracking (read, user, update), membership,
    # services, cycle totals, days, bell, banner; the charts come from the cache
    assert small_count == big_count == 12


def test_new_figures_show_at_once_in_the_words_and_the_charts(client, memory_cache):
    _customer, internet = _household(client, "recounted", used=gb(700))
    page = client.get("/usage/")
    assert "700 GB of 1.2 TB used" in text(page)
    before = charts(page.content.decode())
    staff = make_user(username="agent")
    credit_data(
        subscription_id=internet.pk,
        cycle_start=CYCLE_START,
        credited_bytes=gb(100),
        reason="Outage goodwill",
        actor=staff,
        ip=None,
    )
    page = client.get("/usage/")
    assert "600 GB of 1.2 TB used" in text(page)
    assert "700 GB" not in text(page)
    after = charts(page.content.decode())
    assert after[1] != before[1]  # the history chart is drawn for the new figures
    assert "600 GB" in after[1]
