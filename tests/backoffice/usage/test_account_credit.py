"""Crediting data from the account's usage page: GB with up to three decimals and a
reason, for one service's bill cycle; refused input credits nothing and says why;
only staff who may credit see the form or can post it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dropline.core import clock
from dropline.core.models import AuditEvent
from dropline.usage.models import GB, UsageAdjustment, UsageCycle
from tests.support.usage_alerts import NOW, Household, household, staff_with, use_gb, visible_text

pytestmark = pytest.mark.django_db

VIEW = "usage.view_usagecycle"
CREDIT = "usage.add_usageadjustment"


@pytest.fixture
def home() -> Household:
    found = household()
    use_gb(found.service, 1300)
    return found


def choice(home: Household) -> str:
    return f"{home.service.pk}:{home.cycle.start.isoformat()}"


def post(client, home: Household, **data: str):
    url = reverse("backoffice:usage_credit", args=[home.account.number])
    with clock.frozen(NOW):
        return client.post(url, {"cycle": choice(home), "reason": "Outage credit", **data})


def test_staff_who_may_credit_credit_gb_with_decimals(client, home):
    staff = staff_with(VIEW, CREDIT)
    client.force_login(staff)
    response = post(client, home, gigabytes="12.125")
    assert response.status_code == 302
    assert response.url == reverse("backoffice:usage_account", args=[home.account.number])
    row = UsageCycle.objects.get()
    assert row.credited_bytes == 12_125_000_000
    assert row.billable_bytes == 1300 * GB - 12_125_000_000
    event = AuditEvent.objects.get(action="usage.data_credited")
    assert event.actor == staff
    assert event.ip_address == "127.0.0.1"
    with clock.frozen(NOW):
        page = visible_text(client.get(response.url).content.decode())
    assert "12.1 GB credited for the bill cycle that started Nov. 3, 2026." in page
    assert "1.3 TB 12.1 GB 1.3 TB 1.2 TB" in page


@pytest.mark.parametrize(
    ("data", "said"),
    [
        ({"gigabytes": "1.2345"}, "Enter the data in GB with at most 3 decimals, such as 12.5."),
        ({"gigabytes": "-5"}, "Enter the data in GB with at most 3 decimals, such as 12.5."),
        ({"gigabytes": "0"}, "Enter an amount of data greater than zero."),
        ({"gigabytes": ""}, "Enter the data to credit."),
        (
            {"gigabytes": "1301"},
            "Credit at most 1.3 TB: what this cycle used, less earlier credits.",
        ),
        ({"gigabytes": "5", "reason": " "}, "Say why, for the account's history."),
        ({"gigabytes": "5", "cycle": "999:2026-11-03"}, "Select a valid choice."),
    ],
)
def test_refused_input_credits_nothing_and_says_why(client, home, data, said):
    client.force_login(staff_with(VIEW, CREDIT))
    response = post(client, home, **data)
    assert response.status_code == 400
    text = visible_text(response.content.decode())
    assert "Nothing was credited. Please correct the errors below." in text
    assert said in text
    assert UsageCycle.objects.get().credited_bytes == 0
    assert not UsageAdjustment.objects.exists()
    assert not AuditEvent.objects.filter(action="usage.data_credited").exists()


def test_staff_who_may_only_read_see_no_form_and_cannot_post(client, home):
    client.force_login(staff_with(VIEW))
    with clock.frozen(NOW):
        html = client.get(reverse("backoffice:usage_account", args=[home.account.number]))
    assert "Credit the data" not in html.content.decode()
    assert post(client, home, gigabytes="5").status_code == 403
    assert UsageCycle.objects.get().credited_bytes == 0


def test_crediting_needs_the_reading_permission_too(client, home):
    client.force_login(staff_with(CREDIT))
    assert post(client, home, gigabytes="5").status_code == 404
    assert UsageCycle.objects.get().credited_bytes == 0


def test_another_accounts_service_cannot_be_credited_from_this_page(client, home):
    other = household(username="other")
    use_gb(other.service, 500)
    client.force_login(staff_with(VIEW, CREDIT))
    response = post(client, home, gigabytes="5", cycle=choice(other))
    assert response.status_code == 400
    assert UsageCycle.objects.get(subscription=other.service).credited_bytes == 0
