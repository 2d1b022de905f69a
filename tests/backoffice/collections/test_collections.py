"""The collections list: accounts past due with the days, the amount, the held amount,
the step reached, any extension and autopay, with filters; suspending and restoring with
a reason, for the Billing role only; another role is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dropline.accounts import roles
from dropline.core import clock
from dropline.core.models import AuditEvent
from dropline.customers.models import AccountStatus
from dropline.payments import autopay, extensions
from tests.support.autopay import run_days
from tests.support.billing import at
from tests.support.catalog import make_catalog
from tests.support.payments import make_payer
from tests.support.staff import make_staff
from tests.support.staff_billing import visible_text

pytestmark = pytest.mark.django_db
D = dt.date
URL = "/backoffice/collections/"
DAY = D(2026, 2, 10)  # 15 days after the first bills' due date


@pytest.fixture
def billing(client):
    client.force_login(make_staff(username="collector", role=roles.BILLING))
    return client


@pytest.fixture
def payers():
    catalog = make_catalog()
    late = make_payer(catalog=catalog)
    extended = make_payer(catalog=catalog)
    paid = make_payer(catalog=catalog)
    with clock.frozen(at(D(2026, 1, 12))):
        autopay.enrol(account=paid.account, method=paid.method, actor=paid.customer.user)
    with clock.frozen(at(D(2026, 1, 20))):
        extensions.ask_extension(
            account=extended.account, until=D(2026, 2, 9), actor=extended.customer.user
        )
    run_days(D(2026, 1, 20), DAY)
    return late, extended, paid


def listed(client, **params) -> str:
    with clock.frozen(at(DAY)):
        page = client.get(URL, params)
    assert page.status_code == 200
    return visible_text(page.content.decode())


def test_the_list_shows_each_account_past_due_and_its_step(billing, payers):
    late, extended, paid = payers
    text = listed(billing)
    assert late.account.number in text
    assert extended.account.number in text
    assert paid.account.number not in text  # autopay paid it on its due date
    assert "Late fee charged" in text
    assert "until Feb. 9, 2026" in text
    assert "15" in text


def test_filters(billing, payers):
    late, extended, _paid = payers
    only_fees = listed(billing, step="late_fee")
    assert late.account.number in only_fees
    assert extended.account.number in only_fees  # the fee came the day after it ended
    assert late.account.number not in listed(billing, min_days=20)
    assert late.account.number not in listed(billing, autopay="yes")
    assert extended.account.number not in listed(billing, account=late.account.number)


def test_the_list_costs_the_same_queries_for_one_account_or_many(billing, payers):
    listed(billing)  # the first page of a session records the session's device once
    with clock.frozen(at(DAY)), CaptureQueriesContext(connection) as few:
        billing.get(URL, {"account": payers[0].account.number})
    with clock.frozen(at(DAY)), CaptureQueriesContext(connection) as many:
        billing.get(URL)
    assert len(few) == len(many)


def test_suspending_and_restoring_with_a_reason(billing, payers):
    late = payers[0]
    with clock.frozen(at(DAY)):
        refused = billing.post(
            reverse("backoffice:collections_suspend", args=[late.account.number])
        )
        late.account.refresh_from_db()
        assert late.account.status == AccountStatus.ACTIVE
        assert refused.status_code == 302
        billing.post(
            reverse("backoffice:collections_suspend", args=[late.account.number]),
            {"reason": "Promised to pay twice and did not"},
        )
        late.account.refresh_from_db()
        assert late.account.status == AccountStatus.SUSPENDED
        billing.post(
            reverse("backoffice:collections_restore", args=[late.account.number]),
            {"reason": "Paid by phone"},
        )
    late.account.refresh_from_db()
    assert late.account.status == AccountStatus.ACTIVE
    actions = list(
        AuditEvent.objects.filter(account_number=late.account.number)
        .filter(action__startswith="subscriptions.")
        .values_list("action", flat=True)
    )
    assert sorted(actions) == [
        "subscriptions.services_restored",
        "subscriptions.services_suspended",
    ]


def test_customer_care_is_refused(client, payers):
    client.force_login(make_staff(username="care", role=roles.CUSTOMER_CARE))
    assert client.get(URL).status_code == 403
    late = payers[0]
    answer = client.post(
        reverse("backoffice:collections_suspend", args=[late.account.number]), {"reason": "x"}
    )
    assert answer.status_code == 403
    late.account.refresh_from_db()
    assert late.account.status == AccountStatus.ACTIVE


def test_every_permission_a_role_names_exists():
    from django.contrib.auth.models import Permission

    for role, codes in roles.ROLE_PERMISSIONS.items():
        for code in codes:
            app_label, codename = code.split(".")
            assert Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).exists(), (role, code)


def test_the_home_counts_suspended_accounts_and_links_to_them(billing, payers):
    late, extended, paid = payers
    run_days(D(2026, 2, 25), D(2026, 2, 25))  # 30 days after the due date
    home = visible_text(billing.get(reverse("backoffice:home")).content.decode())
    assert "2 accounts with their services suspended for an unpaid balance" in home
    suspended = listed(billing, step="suspended")
    assert late.account.number in suspended
    assert extended.account.number in suspended
    assert paid.account.number not in suspended
