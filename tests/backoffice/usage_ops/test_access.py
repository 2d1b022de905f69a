"""Every usage page: anonymous visitors go to the staff sign-in, staff without the
page's permission get 403 (customers too), every form needs its CSRF token; and who
has which usage permission by role."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from dropline.accounts import roles
from dropline.core import clock
from tests.support.factories import make_customer
from tests.support.staff import make_staff
from tests.support.usage_ops import collector, records

pytestmark = pytest.mark.django_db


@pytest.fixture
def urls():
    service = make_customer(username="mapped").account.subscriptions.get()
    found = collector(name="radius-east")
    return {
        "usage_ops": ("get", reverse("backoffice:usage_ops")),
        "status": ("get", reverse("backoffice:usage_status")),
        "figures": ("get", reverse("backoffice:usage_status_figures")),
        "collectors": ("get", reverse("backoffice:usage_collectors")),
        "collector_add": ("post", reverse("backoffice:usage_collector_add")),
        "collector_revoke": (
            "get",
            reverse("backoffice:usage_collector_revoke", kwargs={"collector_id": found.pk}),
        ),
        "files": ("get", reverse("backoffice:usage_imports")),
        "unknown": ("get", reverse("backoffice:usage_unknown")),
        "assign": ("get", reverse("backoffice:usage_assign") + "?username=nobody"),
        "username": (
            "get",
            reverse("backoffice:usage_service_username", kwargs={"subscription_id": service.pk}),
        ),
    }


PAGES = [
    "usage_ops",
    "status",
    "figures",
    "collectors",
    "collector_add",
    "collector_revoke",
    "files",
    "unknown",
    "assign",
    "username",
]


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_go_to_the_staff_sign_in(client, urls, page):
    method, url = urls[page]
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("backoffice:login"))


@pytest.mark.parametrize("page", PAGES)
def test_staff_without_the_permission_and_customers_are_refused(client, urls, page):
    method, url = urls[page]
    client.force_login(make_staff(username="dispatcher", role=roles.FIELD_DISPATCH))
    assert getattr(client, method)(url).status_code == 403
    client.force_login(make_customer(username="customer").user)
    assert getattr(client, method)(url).status_code == 403


# Customer care maps usernames but sees neither the ingest status, collectors nor files.
CARE_REFUSED = ["status", "figures", "collectors", "collector_add", "collector_revoke", "files"]
# Billing sees the status and uploads files, but does not manage collectors.
BILLING_REFUSED = ["collectors", "collector_add", "collector_revoke"]


@pytest.mark.parametrize("page", CARE_REFUSED)
def test_customer_care_is_refused_the_ingest_pages(client, urls, page):
    method, url = urls[page]
    client.force_login(make_staff(username="care", role=roles.CUSTOMER_CARE))
    assert getattr(client, method)(url).status_code == 403


@pytest.mark.parametrize("page", BILLING_REFUSED)
def test_billing_is_refused_the_collectors(client, urls, page):
    method, url = urls[page]
    client.force_login(make_staff(username="biller", role=roles.BILLING))
    assert getattr(client, method)(url).status_code == 403


def test_the_usage_entry_lists_the_pages_each_role_may_use(client):
    client.force_login(make_staff(username="care", role=roles.CUSTOMER_CARE))
    html = client.get(reverse("backoffice:usage_ops")).content.decode()
    assert reverse("backoffice:usage_unknown") in html
    assert reverse("backoffice:usage_status") not in html
    assert reverse("backoffice:usage_collectors") not in html
    client.force_login(make_staff(username="biller", role=roles.BILLING))
    html = client.get(reverse("backoffice:usage_ops")).content.decode()
    assert reverse("backoffice:usage_status") in html
    assert reverse("backoffice:usage_imports") in html
    assert reverse("backoffice:usage_collectors") not in html


def test_every_form_needs_its_csrf_token(urls):
    admin = make_staff(username="admin", role=roles.ADMINISTRATOR)
    records(username="stray", occurred_at=clock.now())
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    service_url = urls["username"][1]
    posts = {
        reverse("backoffice:usage_collector_add"): {"name": "radius-west"},
        urls["collector_revoke"][1]: {},
        reverse("backoffice:usage_imports"): {},
        reverse("backoffice:usage_assign"): {"username": "stray", "subscription_id": "1"},
        service_url: {"radius_username": "someone"},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 403, url
        page = client.get(url, {"username": "stray"})
        if page.status_code == 200:
            assert b"csrfmiddlewaretoken" in page.content, url


def test_the_roles_hold_the_usage_permissions():
    def codes(role: str) -> set[str]:
        group = Group.objects.get(name=role)
        return {
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.filter(content_type__app_label="usage")
        }

    care = {"usage.view_usagecycle", "usage.add_usageadjustment", "usage.map_usernames"}
    assert codes(roles.CUSTOMER_CARE) == care
    assert codes(roles.BILLING) == care | {"usage.view_usagerecord", "usage.add_usageimport"}
    admin = codes(roles.ADMINISTRATOR)
    assert care | {"usage.view_collector", "usage.add_collector", "usage.change_collector"} <= admin
    assert "usage.delete_usagerecord" in admin  # every usage permission
    assert codes(roles.FIELD_DISPATCH) == set()
