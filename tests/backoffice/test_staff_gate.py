"""Every staff surface passes the same gate: the back-office pages and the records admin
(index, every registered model's list, change form, history and the rest). Staff who
signed in with a password but have no second factor are sent to set one up and see
nothing; staff who passed their second factor work as before; customers get 403 and
anonymous visitors the staff sign-in.

The URLs are read from the back-office's URL configuration and from the admin's
registry, so a new page or a newly registered model is covered without editing here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.http import HttpRequest
from django.test import Client, RequestFactory
from django.urls import URLPattern, reverse

from dropline.accounts.models import User
from dropline.backoffice import urls as backoffice_urls
from dropline.billing.models import TaxRate
from dropline.catalog.models import Channel, Plan, Promotion, ScheduledPrice
from dropline.core import clock
from dropline.customers.invitations import issue_printed_code
from dropline.customers.models import MemberRole
from dropline.helpdesk.models import Article, SavedReply
from dropline.helpdesk.tickets.opening import open_ticket
from dropline.network.models import Equipment
from dropline.notifications.models import Announcement, Message, MessageStatus, SimulatedSms
from dropline.payments.disputes.opening import open_dispute
from dropline.payments.models import GatewayEvent, Payment
from dropline.usage.models import Collector, UsageSession
from tests.support.dispatch import dispatch_samples
from tests.support.disputes import a_pdf, charge_line, use_upload_root
from tests.support.factories import PASSWORD, STAFF_TOTP_SECRET, make_customer, make_user
from tests.support.outages import declare_outage
from tests.support.staff_billing import bill_run, first_invoice
from tests.support.totp import code_with_time_to_spare
from tests.support.usage_ingest import ingest_usage

pytestmark = pytest.mark.django_db

PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>")
SECRET_EMAIL = "hidden.holder@example.com"


@dataclass(frozen=True)
class Samples:
    """One row of each thing a back-office URL names."""

    number: str
    invitation_id: int
    message_pk: int
    announcement_pk: int
    invoice_number: str
    bill_run_pk: int
    tax_rate_pk: int
    scheduled_price_pk: int
    plan_pk: int
    promotion_pk: int
    channel_pk: int
    confirmation: str  # a payment's confirmation number (the demo household's)
    dispute_id: int
    attachment_id: int
    gateway_event_pk: int
    subscription_id: int
    collector_id: int
    session_id: int
    outage_id: int
    equipment_id: int
    appointment_id: int
    technician_id: int
    template_id: int
    exception_id: int
    ticket_id: int
    file_id: int  # a ticket's attachment
    saved_reply_id: int
    article_id: int


@pytest.fixture
def samples(demo: None, settings: Any, tmp_path: Any) -> Samples:
    use_upload_root(settings, tmp_path)
    customer = make_customer(username="gated", email=SECRET_EMAIL)
    issued = issue_printed_code(
        account=customer.account, created_by=None, role=MemberRole.AUTHORIZED
    )
    now = clock.now()
    message = Message.objects.create(
        idempotency_key="gate:1",
        user=customer.user,
        account=customer.account,
        event="announcement.notice",
        category="outages",
        channel="email",
        to_address=SECRET_EMAIL,
        language="en",
        subject="Network maintenance",
        body_text="We are upgrading the network.",
        body_html="<p>We are upgrading the network.</p>",
        status=MessageStatus.SENT,
        not_before=now,
        created_at=now,
    )
    announcement = Announcement.objects.create(
        kind="maintenance",
        starts_at=now + dt.timedelta(days=1),
        ends_at=now + dt.timedelta(days=1, hours=3),
        title_en="Network maintenance tonight",
        title_es="Mantenimiento de la red esta noche",
        body_en="We are upgrading equipment in your area.",
        body_es="Estamos mejorando los equipos de su zona.",
        created_at=now,
    )
    SimulatedSms.objects.create(
        to="+13195550100",
        body="Your code is 123456",
        segments=1,
        encoding="GSM-7",
        reference="gate-1",
        sent_at=now,
    )
    invoice = first_invoice(customer.account)
    dispute = open_dispute(
        account=customer.account,
        invoice_line=charge_line(invoice),
        amount_cents=100,
        reason="other",
        description="Gated dispute",
        files=[a_pdf()],
        actor=customer.user,
    )
    service = customer.account.subscriptions.order_by("pk")[0]
    ticket = open_ticket(
        account=customer.account,
        person=customer.user,
        category="internet",
        subject="Gated ticket",
        description="Gated ticket",
        files=[a_pdf()],
    )
    ingest_usage(service, 10**9, now)
    visit = dispatch_samples(customer)
    return Samples(
        number=customer.account.number,
        invitation_id=issued.invitation.pk,
        message_pk=message.pk,
        announcement_pk=announcement.pk,
        invoice_number=invoice.number,
        bill_run_pk=bill_run(run_on=dt.date(2020, 1, 1)).pk,
        tax_rate_pk=TaxRate.objects.order_by("pk")[0].pk,
        scheduled_price_pk=ScheduledPrice.objects.order_by("pk")[0].pk,
        plan_pk=Plan.objects.order_by("pk")[0].pk,
        promotion_pk=Promotion.objects.order_by("pk")[0].pk,
        channel_pk=Channel.objects.order_by("pk")[0].pk,
        confirmation=Payment.objects.order_by("pk")[0].confirmation_number,
        dispute_id=dispute.pk,
        attachment_id=dispute.attachments.get().pk,
        gateway_event_pk=GatewayEvent.objects.create(
            gateway="stripe",
            event_id="evt_gate",
            kind="other",
            occurred_at=now,
            received_at=now,
            payload={"id": "evt_gate", "type": "customer.created"},
        ).pk,
        subscription_id=service.pk,
        session_id=UsageSession.objects.get(subscription=service).pk,
        collector_id=Collector.objects.create(
            name="gate", password_digest="0" * 64, created_at=now
        ).pk,
        outage_id=declare_outage(areas=[customer.account.service_address.service_area]).pk,
        equipment_id=Equipment.objects.filter(account=customer.account).order_by("pk")[0].pk,
        appointment_id=visit.appointment_id,
        technician_id=visit.technician_id,
        template_id=visit.template_id,
        exception_id=visit.exception_id,
        ticket_id=ticket.pk,
        file_id=ticket.attachments.get().pk,
        saved_reply_id=SavedReply.objects.create(
            title="Gated reply", language="en", body="Hello", updated_at=now
        ).pk,
        article_id=Article.objects.order_by("pk")[0].pk,
    )


def _parameters(pattern: URLPattern) -> list[str]:
    return [a or b for a, b in PARAMETER.findall(str(pattern.pattern))]


def backoffice_urls_to_check(samples: Samples) -> list[tuple[str, str]]:
    """(URL, method) for every back-office page but the sign-in; POST for POST-only views."""
    values = {
        "number": samples.number,
        "invitation_id": samples.invitation_id,
        "invoice_number": samples.invoice_number,
        "kind": "plan",
        "confirmation": samples.confirmation,
        "dispute_id": samples.dispute_id,
        "attachment_id": samples.attachment_id,
        "event_pk": samples.gateway_event_pk,
        "subscription_id": samples.subscription_id,
        "collector_id": samples.collector_id,
        "session_id": samples.session_id,
        "outage_id": samples.outage_id,
        "equipment_id": samples.equipment_id,
        "appointment_id": samples.appointment_id,
        "technician_id": samples.technician_id,
        "template_id": samples.template_id,
        "exception_id": samples.exception_id,
        "ticket_id": samples.ticket_id,
        "file_id": samples.file_id,
        "saved_reply_id": samples.saved_reply_id,
        "article_id": samples.article_id,
    }
    pk_by_name = {
        "message": samples.message_pk,
        "announcement": samples.announcement_pk,
        "bill_run": samples.bill_run_pk,
        "tax_rate": samples.tax_rate_pk,
        "scheduled_price": samples.scheduled_price_pk,
        "price": samples.plan_pk,
        "catalog_promotion": samples.promotion_pk,
        "catalog_channel": samples.channel_pk,
    }
    # The catalogue's pages name a demo plan, add-on or equipment model by its code (the
    # first prefix that matches the page's name).
    code_by_name = {
        "catalog_plan_line_up": "tv-select",
        "catalog_plan": "internet-300",
        "catalog_label": "internet-300",
        "catalog_promotion_new": "internet-300",
        "catalog_add_on": "sports-pack",
        "catalog_equipment": "gw-xb8",
    }
    found = []
    for pattern in backoffice_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        if pattern.name == "login":
            continue
        kwargs: dict[str, object] = {}
        for name in _parameters(pattern):
            if name == "pk":
                prefix = next(p for p in pk_by_name if str(pattern.name).startswith(p))
                kwargs[name] = pk_by_name[prefix]
            elif name == "code":
                prefix = next(p for p in code_by_name if str(pattern.name).startswith(p))
                kwargs[name] = code_by_name[prefix]
            else:
                assert name in values, f"add a sample {name!r} for backoffice:{pattern.name}"
                kwargs[name] = values[name]
        url = reverse(f"backoffice:{pattern.name}", kwargs=kwargs)
        post_only = pattern.name in {
            "announcement_send",
            "announcement_resolve",
            "revoke_invitation_code",
            "customer_note_add",
            "bill_run_start",
            "price_schedule",
            "scheduled_price_cancel",
            "payment_refund",
            "dispute_assign",
            "dispute_message",
            "dispute_credit",
            "dispute_reject",
            "collections_suspend",
            "collections_restore",
            "usage_collector_add",
            "usage_credit",
            "outage_update",
            "outage_resolve",
            "outage_cancel",
            "equipment_restart",
            "equipment_wifi",
            "equipment_link",
            "dispatch_assign",
            "dispatch_status",
            "dispatch_template_add",
            "dispatch_template_remove",
            "dispatch_exception_add",
            "dispatch_exception_remove",
            "my_visits_step",
            "ticket_reply",
            "ticket_note",
            "ticket_assign",
            "ticket_merge",
            "ticket_escalate",
            "ticket_close",
            "saved_reply_retire",
            "service_level_save",
            "help_article_publish",
            "help_article_withdraw",
        }
        found.append((url, "post" if post_only else "get"))
    return found


def _first_pk(model: type[Model]) -> object | None:
    row = model._default_manager.order_by("pk").first()
    return None if row is None else row.pk


@dataclass(frozen=True)
class AdminUrl:
    url: str
    model_admin: admin.ModelAdmin | None = None  # None: a page of the site itself
    action: str = ""  # the URL name's last part: changelist, add, change, delete...
    pk: object | None = None

    def allowed_by_model_admin(self, request: HttpRequest) -> bool:
        """What the model's admin itself allows (some models are read-only there)."""
        if self.model_admin is None:
            return True
        obj = None
        if self.pk is not None:
            obj = self.model_admin.model._default_manager.get(pk=self.pk)
        if self.action == "add":
            return self.model_admin.has_add_permission(request)
        if self.action == "delete":
            return self.model_admin.has_delete_permission(request, obj)
        if self.action == "password_change":
            return self.model_admin.has_change_permission(request, obj)
        return self.model_admin.has_view_or_change_permission(request, obj)


def admin_urls_to_check(*, with_rows_only: bool = False) -> list[AdminUrl]:
    """The admin's own pages, each app's page, and every URL of every registered model
    (list, add, change form, history, delete, and any the model's admin adds), for its
    first row (or a made-up id when it has none, unless ``with_rows_only``)."""
    site = admin.site
    urls = [
        AdminUrl(reverse(name))
        for name in (
            "admin:index",
            "admin:password_change_done",
            "admin:jsi18n",
        )
    ]
    labels = sorted({model._meta.app_label for model in site._registry})
    urls += [AdminUrl(reverse("admin:app_list", kwargs={"app_label": lb})) for lb in labels]
    for model, model_admin in site._registry.items():
        pk = _first_pk(model)
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        for pattern in model_admin.get_urls():
            if not isinstance(pattern, URLPattern) or not pattern.name:
                continue  # the unnamed catch-all only redirects to the change form
            names = _parameters(pattern)
            if names and pk is None and with_rows_only:
                continue
            kwargs = {name: str(pk if pk is not None else 999_999) for name in names}
            url = reverse(f"admin:{pattern.name}", kwargs=kwargs)
            action = pattern.name.removeprefix(prefix).removeprefix("auth_user_")
            urls.append(AdminUrl(url, model_admin, action, pk if names else None))
    return urls


def refusal_only_admin_urls(samples: Samples) -> list[str]:
    """Admin views that are not pages of their own, refused all the same."""
    account_type = ContentType.objects.get(app_label="customers", model="customeraccount")
    account_pk = _first_pk(account_type.model_class())  # type: ignore[arg-type]
    return [
        reverse("admin:autocomplete"),
        reverse(
            "admin:view_on_site",
            kwargs={"content_type_id": account_type.pk, "object_id": account_pk},
        ),
    ]


def _sign_in_with_password(client: Client, username: str) -> None:
    response = client.post(reverse("backoffice:login"), {"login": username, "password": PASSWORD})
    assert response.status_code == 302


def password_only_staff(client: Client) -> User:
    """The strongest staff member there is, signed in with a password and no second factor."""
    user = make_user(username="newadmin", is_staff=True, is_superuser=True, second_factor=False)
    _sign_in_with_password(client, user.username)
    return user


def fully_signed_in_staff(client: Client) -> User:
    user = make_user(username="fulladmin", is_staff=True, is_superuser=True)
    _sign_in_with_password(client, user.username)
    response = client.post(
        reverse("mfa_authenticate"), {"code": code_with_time_to_spare(STAFF_TOTP_SECRET)}
    )
    assert response.status_code == 302
    client.post(reverse("mfa_trust"), {"action": "skip"})
    return user


def _fetch(client: Client, url: str, method: str = "get") -> Any:
    return client.post(url) if method == "post" else client.get(url)


def test_every_staff_url_is_checked(samples):
    """The lists below are not empty and cover a change form of every registered model."""
    backoffice = backoffice_urls_to_check(samples)
    assert len(backoffice) == len(backoffice_urls.urlpatterns) - 1
    admin_pages = [page.url for page in admin_urls_to_check()]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        pk = _first_pk(model)
        change = reverse(f"admin:{info[0]}_{info[1]}_change", args=[pk or 999_999])
        assert change in admin_pages
        assert reverse(f"admin:{info[0]}_{info[1]}_changelist") in admin_pages


def test_staff_with_a_password_only_see_no_staff_page(client, samples):
    password_only_staff(client)
    setup = reverse("mfa_index")
    urls = [
        *backoffice_urls_to_check(samples),
        *((page.url, "get") for page in admin_urls_to_check()),
        *((url, "get") for url in refusal_only_admin_urls(samples)),
    ]
    shown = []
    for url, method in urls:
        response = _fetch(client, url, method)
        if not (response.status_code == 302 and response.url.startswith(f"{setup}?next=")):
            shown.append((method, url, response.status_code))
        elif SECRET_EMAIL in response.content.decode():
            shown.append((method, url, "content"))
    assert shown == []


def test_staff_with_a_password_only_cannot_save_a_change_form(client, samples):
    password_only_staff(client)
    target = User.objects.get(email=SECRET_EMAIL)
    url = reverse("admin:accounts_user_change", args=[target.pk])
    response = client.post(url, {"username": target.username, "email": "taken@example.net"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_index"))
    target.refresh_from_db()
    assert target.email == SECRET_EMAIL


def test_staff_with_a_password_only_are_told_why(client, samples):
    password_only_staff(client)
    response = client.get(reverse("admin:index"), follow=True)
    assert "The back-office needs a second factor" in response.content.decode()


def test_staff_who_passed_the_second_factor_use_every_staff_page(client, samples):
    """As before the gate: every page opens, except what a model's admin itself refuses."""
    user = fully_signed_in_staff(client)
    refused = []
    for url, method in backoffice_urls_to_check(samples):
        expected = 200 if method == "get" else 405  # a POST-only view refuses a GET
        response = client.get(url)
        if response.status_code != expected:
            refused.append((url, response.status_code))
    request = RequestFactory().get("/")
    request.user = user
    for page in admin_urls_to_check(with_rows_only=True):
        expected = 200 if page.allowed_by_model_admin(request) else 403
        response = client.get(page.url)
        if response.status_code != expected:
            refused.append((page.url, response.status_code))
    assert refused == []


def test_staff_who_passed_the_second_factor_see_a_change_form_with_save(client, samples):
    fully_signed_in_staff(client)
    target = User.objects.get(email=SECRET_EMAIL)
    page = client.get(reverse("admin:accounts_user_change", args=[target.pk])).content.decode()
    assert SECRET_EMAIL in page
    assert 'name="_save"' in page


@pytest.mark.parametrize("who", ["customer", "anonymous"])
def test_customers_and_anonymous_visitors_see_no_staff_page(client, samples, who):
    if who == "customer":
        customer = make_customer(username="curious")
        assert client.login(username=customer.user.username, password=PASSWORD)
    sign_in = reverse("backoffice:login")
    urls = [
        *backoffice_urls_to_check(samples),
        *((page.url, "get") for page in admin_urls_to_check()),
        *((url, "get") for url in refusal_only_admin_urls(samples)),
    ]
    shown = []
    for url, method in urls:
        response = _fetch(client, url, method)
        if who == "customer":
            refused = response.status_code == 403
        else:
            refused = response.status_code == 302 and response.url.startswith(f"{sign_in}?next=")
        if not refused or SECRET_EMAIL in response.content.decode():
            shown.append((method, url, response.status_code))
    assert shown == []
