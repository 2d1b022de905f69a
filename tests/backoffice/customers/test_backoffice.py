import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from dropline.accounts import roles
from dropline.core.models import AuditEvent
from dropline.seeding.demo.household import loaded_account
from tests.support.factories import make_customer, make_user


def sign_in_as(client, who):
    if who == "anonymous":
        return
    if who == "customer":
        client.login(username="demo", password="dropline-demo")
    elif who == "staff_without_role":
        client.force_login(make_user(username="newhire", is_staff=True))
    elif who == "customer_care":
        client.login(username="care", password="dropline-care-demo")
    elif who == "administrator":
        client.login(username="admin", password="dropline-admin")


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("customer", 403),
        ("staff_without_role", 403),
        ("customer_care", 200),
        ("administrator", 200),
    ],
)
def test_only_staff_with_the_permission_can_search(client, demo, who, expected):
    sign_in_as(client, who)
    response = client.get(reverse("backoffice:search"), {"q": "Rivera"})
    assert response.status_code == expected
    if expected == 302:
        assert response.url.startswith(reverse("backoffice:login"))
    if expected == 200:
        assert loaded_account().display_number in response.content.decode()  # type: ignore[union-attr]
    else:
        assert b"Willow Bend" not in response.content


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("customer", 403),
        ("staff_without_role", 403),
        ("customer_care", 200),
    ],
)
def test_only_staff_with_the_permission_can_open_an_account(client, demo, who, expected):
    sign_in_as(client, who)
    account = loaded_account()
    assert account is not None
    response = client.get(reverse("backoffice:customer", args=[account.number]))
    assert response.status_code == expected


def test_opening_an_account_is_audited_with_who_and_where(client, demo):
    client.login(username="care", password="dropline-care-demo")
    account = loaded_account()
    assert account is not None
    client.get(
        reverse("backoffice:customer", args=[account.number]),
        REMOTE_ADDR="203.0.113.9",
        HTTP_USER_AGENT="Care desk browser",
    )
    event = AuditEvent.objects.get(action="customer.viewed")
    assert event.actor is not None
    assert event.actor.username == "care"
    assert event.account_number == account.number
    assert event.ip_address == "203.0.113.9"
    assert event.user_agent == "Care desk browser"


def test_unknown_account_number_is_404(client, demo):
    client.login(username="admin", password="dropline-admin")
    response = client.get(reverse("backoffice:customer", args=["826000009999"]))
    assert response.status_code == 404


def test_staff_sign_in_asks_for_the_second_factor_then_lands_in_the_back_office(client, demo):
    from dropline.seeding.demo.staff import demo_totp_secret
    from tests.support.totp import code_with_time_to_spare

    response = client.post(
        reverse("backoffice:login"), {"login": "care", "password": "dropline-care-demo"}
    )
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert client.get(reverse("backoffice:search")).status_code == 302  # not in yet
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    response = client.post(
        reverse("mfa_authenticate"), {"code": code_with_time_to_spare(demo_totp_secret("care"))}
    )
    assert response.status_code == 302
    assert response.url == reverse("mfa_trust")  # "trust this browser for 30 days?"
    response = client.post(reverse("mfa_trust"), {"action": "skip"})
    assert response.url == reverse("backoffice:search")


def test_the_records_admin_uses_the_back_office_sign_in(client, db):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("backoffice:login"))


def test_search_by_account_number_email_and_phone(client, demo):
    client.login(username="admin", password="dropline-admin")
    account = loaded_account()
    assert account is not None
    for query in [account.display_number, "maria.rivera@example.com", "319-555-0142"]:
        page = client.get(reverse("backoffice:search"), {"q": query}).content.decode()
        assert account.display_number in page, query


@pytest.mark.django_db
def test_roles_exist_with_the_permissions_of_each_job():
    care = Group.objects.get(name=roles.CUSTOMER_CARE)
    codes = {f"{p.content_type.app_label}.{p.codename}" for p in care.permissions.all()}
    assert "customers.search_customeraccount" in codes
    assert "catalog.change_plan" not in codes
    billing = Group.objects.get(name=roles.BILLING)
    assert billing.permissions.filter(codename="add_adjustment").exists()
    assert not billing.permissions.filter(codename="change_plan").exists()  # administrators'
    dispatch = Group.objects.get(name=roles.FIELD_DISPATCH)
    assert dispatch.permissions.filter(codename="change_equipment").exists()
    assert not dispatch.permissions.filter(codename="change_customeraccount").exists()
    admin = Group.objects.get(name=roles.ADMINISTRATOR)
    assert admin.permissions.filter(codename="change_user").exists()


@pytest.mark.django_db
def test_staff_see_audit_only_with_the_permission(client):
    customer = make_customer(username="aud")
    care = make_user(username="carol", is_staff=True)
    care.groups.add(Group.objects.get(name=roles.CUSTOMER_CARE))
    client.force_login(care)
    page = client.get(reverse("backoffice:customer", args=[customer.account.number]))
    assert "Recent staff activity" not in page.content.decode()


def test_a_customer_cannot_sign_in_through_the_staff_page(client, demo):
    response = client.post(
        reverse("backoffice:login"), {"login": "demo", "password": "dropline-demo"}
    )
    assert response.status_code == 200
    assert "This sign-in is for staff" in response.content.decode()
    assert client.get("/").status_code == 302  # not signed in


def test_forbidden_pages_explain_themselves_in_the_site_layout(client, demo):
    client.login(username="demo", password="dropline-demo")
    response = client.get(reverse("backoffice:search"))
    assert response.status_code == 403
    assert "The back-office is for the provider" in response.content.decode()


def test_staff_without_a_second_factor_are_sent_to_set_one_up(client, db):
    from django.contrib.auth.models import Group

    newcomer = make_user(username="newcare", is_staff=True, second_factor=False)
    newcomer.groups.add(Group.objects.get(name=roles.CUSTOMER_CARE))
    client.force_login(newcomer)
    response = client.get(reverse("backoffice:search"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_index"))
    assert "next=" in response.url


def test_demo_staff_can_read_their_code_and_sign_in_with_it(client, demo, settings):
    from io import StringIO

    from django.core.management import call_command

    settings.DEMO = True
    out = StringIO()
    call_command("democode", "care", stdout=out)
    code = out.getvalue().split()[0]
    assert len(code) == 6
    assert code.isdigit()
    client.post(reverse("backoffice:login"), {"login": "care", "password": "dropline-care-demo"})
    client.post(reverse("mfa_authenticate"), {"code": code})
    client.post(reverse("mfa_trust"), {"action": "skip"})
    assert client.get(reverse("backoffice:search")).status_code == 200
