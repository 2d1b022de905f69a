"""Who may open the catalogue pages: anonymous visitors go to the staff sign-in;
customer care, billing, field dispatch and customers get 403 and change nothing; an
administrator opens every page, and only administrators see the Catalog section."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from dropline.accounts import roles
from dropline.catalog.models import BroadbandLabel, Channel, Plan, Promotion
from dropline.core.models import AuditEvent
from tests.support.catalog_admin import Shop, make_shop, new_plan_form, page_urls
from tests.support.factories import make_customer
from tests.support.staff import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop() -> Shop:
    return make_shop()


def _snapshot() -> tuple[object, ...]:
    return (
        list(Plan.objects.order_by("pk").values()),
        list(Promotion.objects.order_by("pk").values()),
        list(Channel.objects.order_by("pk").values()),
        list(BroadbandLabel.objects.order_by("pk").values()),
        list(Plan.service_areas.through.objects.order_by("pk").values()),
        list(Plan.channels.through.objects.order_by("pk").values()),
    )


def test_anonymous_visitors_are_sent_to_the_staff_sign_in(client, shop):
    for name, url in page_urls(shop).items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert urlsplit(response.url).path == reverse("backoffice:login"), name


@pytest.mark.parametrize("role", [roles.CUSTOMER_CARE, roles.BILLING, roles.FIELD_DISPATCH])
def test_other_roles_get_403_everywhere_and_change_nothing(client, shop, role):
    client.force_login(make_staff(username="other", role=role))
    before = _snapshot()
    for name, url in page_urls(shop).items():
        assert client.get(url).status_code == 403, name
        assert client.post(url, new_plan_form(name="Hijacked", areas=[])).status_code == 403, name
    assert _snapshot() == before
    assert not AuditEvent.objects.filter(action__startswith="catalog.").exists()


def test_a_customer_gets_403(client, shop):
    client.force_login(make_customer(username="nosy").user)
    for name, url in page_urls(shop).items():
        assert client.get(url).status_code == 403, name


def test_an_administrator_opens_every_page(client, shop):
    client.force_login(make_staff(username="ada", role=roles.ADMINISTRATOR))
    for name, url in page_urls(shop).items():
        response = client.get(url)
        assert response.status_code == 200, name
        nav = response.content.decode().split('class="staff-nav"', 1)[1].split("</nav>", 1)[0]
        assert 'aria-current="page">Catalog<' in nav, name


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        (roles.ADMINISTRATOR, True),
        (roles.BILLING, False),
        (roles.CUSTOMER_CARE, False),
        (roles.FIELD_DISPATCH, False),
    ],
)
def test_only_administrators_see_the_catalog_section(client, role, shown):
    client.force_login(make_staff(username="navigator", role=role))
    html = client.get(reverse("backoffice:home")).content.decode()
    nav = html.split('class="staff-nav"', 1)[1].split("</nav>", 1)[0]
    assert (">Catalog<" in nav) is shown


def test_the_catalogue_is_the_administrators_job_alone():
    from django.contrib.auth.models import Group

    for role in (roles.CUSTOMER_CARE, roles.BILLING, roles.FIELD_DISPATCH):
        group = Group.objects.get(name=role)
        assert not group.permissions.filter(
            content_type__app_label="catalog", codename__regex=r"^(add|change|delete)_"
        ).exists(), role
    admin = Group.objects.get(name=roles.ADMINISTRATOR)
    for codename in ("add_plan", "change_plan", "change_channel", "change_broadbandlabel"):
        assert admin.permissions.filter(codename=codename).exists(), codename
