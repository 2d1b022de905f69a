"""Who may open the staff billing pages: anonymous visitors go to the staff sign-in;
staff without the permission get 403; customer care reads invoices and statements but
cannot void, enter charges, run bills or change taxes; billing and administrators may
do all of it; each sees the sections their role opens."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from dropline.accounts import roles
from dropline.billing.models import TaxRate
from tests.support.staff import make_staff
from tests.support.staff_billing import bill_run, billed_account, page_urls

pytestmark = pytest.mark.django_db

CARE_READS = {"invoices", "invoice", "statement"}


@pytest.fixture
def urls() -> dict[str, str]:
    billed = billed_account(months=1)
    run = bill_run(run_on=dt.date(2026, 1, 5), billed=1)
    return page_urls(billed, run, TaxRate.objects.order_by("pk")[0].pk)


def test_anonymous_visitors_are_sent_to_the_staff_sign_in(client, urls):
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert urlsplit(response.url).path == reverse("backoffice:login"), name


def test_staff_without_billing_permissions_get_403_everywhere(client, urls):
    client.force_login(make_staff(username="dispatcher", role=roles.FIELD_DISPATCH))
    for name, url in urls.items():
        assert client.get(url).status_code == 403, name


def test_a_customer_gets_403(client, urls, make_customer):
    client.force_login(make_customer(username="nosy").user)
    for name, url in urls.items():
        assert client.get(url).status_code == 403, name


def test_customer_care_reads_invoices_and_statements_and_nothing_more(client, urls):
    client.force_login(make_staff(username="agent", role=roles.CUSTOMER_CARE))
    for name, url in urls.items():
        expected = 200 if name in CARE_READS else 403
        assert client.get(url).status_code == expected, name
    invoice = client.get(urls["invoice"]).content.decode()
    assert "Void and re-issue" not in invoice
    assert "Ledger postings" in invoice


@pytest.mark.parametrize("role", [roles.BILLING, roles.ADMINISTRATOR])
def test_billing_and_administrators_open_every_billing_page(client, urls, role):
    client.force_login(make_staff(username="biller", role=role))
    for name, url in urls.items():
        assert client.get(url).status_code == 200, name
    assert "Void and re-issue" in client.get(urls["invoice"]).content.decode()


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        (roles.CUSTOMER_CARE, ["Invoices"], ["Bill runs", "Tax table"]),
        (roles.BILLING, ["Invoices", "Bill runs", "Tax table"], []),
        (roles.ADMINISTRATOR, ["Invoices", "Bill runs", "Tax table"], []),
        (roles.FIELD_DISPATCH, [], ["Invoices", "Bill runs", "Tax table"]),
    ],
)
def test_the_navigation_shows_the_billing_sections_the_role_opens(client, role, shown, hidden):
    client.force_login(make_staff(username="navigator", role=role))
    html = client.get(reverse("backoffice:home")).content.decode()
    nav = html.split('class="staff-nav"', 1)[1].split("</nav>", 1)[0]
    for label in shown:
        assert f">{label}</a>" in nav
    for label in hidden:
        assert f">{label}</a>" not in nav


def test_the_current_billing_section_is_marked_in_the_navigation(client, urls):
    client.force_login(make_staff(username="marked", role=roles.BILLING))
    html = client.get(urls["invoice"]).content.decode()
    assert f'<a href="{reverse("backoffice:invoices")}" aria-current="page">Invoices</a>' in html
